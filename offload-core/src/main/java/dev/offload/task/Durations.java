package dev.offload.task;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as the API writes them: {@code 250ms}, {@code 30s}, {@code 10m}, {@code 2h}, {@code 1d}
 * or ISO-8601.
 */
public final class Durations {
  public static final String EXPECTED =
      "must be a duration such as \"250ms\", \"30s\", \"10m\", \"2h\", \"1d\" or ISO-8601 \"PT10M\"";
  private static final Pattern SHORT = Pattern.compile("(\\d{1,9})(ms|s|m|h|d)");

  /** 999,999,999 days: past it {@link Duration#toMillis()} could overflow. */
  private static final long MAX_SHORT_SECONDS = 999_999_999L * 86_400;

  private Durations() {}

  /**
   * Parses {@code text}; throws {@link IllegalArgumentException} with {@link #EXPECTED} otherwise.
   */
  public static Duration parse(String text) {
    if (text == null) throw new IllegalArgumentException(EXPECTED);
    Matcher m = SHORT.matcher(text.strip());
    if (m.matches()) {
      long amount = Long.parseLong(m.group(1));
      return switch (m.group(2)) {
        case "ms" -> Duration.ofMillis(amount);
        case "s" -> Duration.ofSeconds(amount);
        case "m" -> Duration.ofMinutes(amount);
        case "h" -> Duration.ofHours(amount);
        default -> Duration.ofDays(amount);
      };
    }
    try {
      Duration parsed = Duration.parse(text.strip());
      if (parsed.isNegative()) throw new IllegalArgumentException(EXPECTED + ", not negative");
      return parsed;
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(EXPECTED, e);
    }
  }

  /**
   * The short form of a duration, as {@link #parse} reads it back; ISO-8601 where the short form
   * cannot say it exactly (below a millisecond, or a number past nine digits).
   */
  public static String format(Duration duration) {
    if (duration.isNegative()
        || duration.getNano() % 1_000_000 != 0
        || duration.getSeconds() > MAX_SHORT_SECONDS) {
      return duration.toString();
    }
    long ms = duration.toMillis();
    String shortForm;
    if (ms % 86_400_000 == 0 && ms > 0) shortForm = ms / 86_400_000 + "d";
    else if (ms % 3_600_000 == 0 && ms > 0) shortForm = ms / 3_600_000 + "h";
    else if (ms % 60_000 == 0 && ms > 0) shortForm = ms / 60_000 + "m";
    else if (ms % 1_000 == 0) shortForm = ms / 1_000 + "s";
    else shortForm = ms + "ms";
    return SHORT.matcher(shortForm).matches() ? shortForm : duration.toString();
  }
}
