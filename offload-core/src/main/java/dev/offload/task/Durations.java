package dev.offload.task;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as the API writes them: {@code 250ms}, {@code 30s}, {@code 10m}, {@code 2h}, {@code 1d} or ISO-8601. */
public final class Durations {
  public static final String EXPECTED =
      "must be a duration such as \"250ms\", \"30s\", \"10m\", \"2h\", \"1d\" or ISO-8601 \"PT10M\"";
  private static final Pattern SHORT = Pattern.compile("(\\d{1,9})(ms|s|m|h|d)");

  private Durations() {}

  /** Parses {@code text}; throws {@link IllegalArgumentException} with {@link #EXPECTED} otherwise. */
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

  /** The short form of a duration, as {@link #parse} reads it back. */
  public static String format(Duration duration) {
    long ms = duration.toMillis();
    if (ms % 86_400_000 == 0 && ms > 0) return ms / 86_400_000 + "d";
    if (ms % 3_600_000 == 0 && ms > 0) return ms / 3_600_000 + "h";
    if (ms % 60_000 == 0 && ms > 0) return ms / 60_000 + "m";
    if (ms % 1_000 == 0) return ms / 1_000 + "s";
    return ms + "ms";
  }
}
