package dev.offload.client;

import java.time.Duration;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as the API reads them: {@code 250ms}, {@code 30s}, {@code 10m}, {@code 2h}, {@code 1d},
 * else ISO-8601.
 */
final class WireDurations {
  /** The API's short form takes at most nine digits. */
  private static final long MAX_SHORT_AMOUNT = 999_999_999L;

  private static final Pattern SHORT = Pattern.compile("(\\d{1,9})(ms|s|m|h|d)");

  private WireDurations() {}

  /**
   * The shortest exact short form ({@code 90s} → {@code "90s"}, {@code 2m} → {@code "2m"}); an
   * ISO-8601 text ({@code "PT0.0000005S"}) for what milliseconds cannot express or nine digits
   * cannot hold.
   */
  static String format(Duration duration) {
    Duration checked = requireNonNegative(duration, "duration");
    if (checked.getNano() % 1_000_000 != 0) return checked.toString();
    long ms = checked.toMillis();
    if (ms == 0) return "0s";
    long[] sizes = {86_400_000L, 3_600_000L, 60_000L, 1_000L, 1L};
    String[] units = {"d", "h", "m", "s", "ms"};
    for (int i = 0; i < sizes.length; i++) {
      if (ms % sizes[i] == 0 && ms / sizes[i] <= MAX_SHORT_AMOUNT) return ms / sizes[i] + units[i];
    }
    return checked.toString();
  }

  /**
   * Reads what the API writes ({@code 30s}, {@code 250ms}, {@code 1h}, ISO-8601); null for null.
   */
  static Duration parse(String text) {
    if (text == null) return null;
    Matcher m = SHORT.matcher(text);
    if (!m.matches()) return Duration.parse(text);
    long amount = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "ms" -> Duration.ofMillis(amount);
      case "s" -> Duration.ofSeconds(amount);
      case "m" -> Duration.ofMinutes(amount);
      case "h" -> Duration.ofHours(amount);
      default -> Duration.ofDays(amount);
    };
  }

  static Duration requireNonNegative(Duration duration, String name) {
    Objects.requireNonNull(duration, name);
    if (duration.isNegative())
      throw new IllegalArgumentException(name + " must not be negative, got " + duration);
    return duration;
  }
}
