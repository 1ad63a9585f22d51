package dev.offload.task;

import java.time.Duration;

/**
 * How long a finished task is kept before it is deleted with its attempts, events and result: a
 * duration counted from when it finished, or {@link #FOREVER}. Stored as milliseconds, forever as
 * {@value #FOREVER_MS}, so that SQL can tell "forever" from "not set" (null).
 */
public record Retention(Duration duration) {
  public static final Retention FOREVER = new Retention(null);
  public static final Duration MIN = Duration.ofMinutes(1);
  public static final Duration MAX = Duration.ofDays(3_650);
  public static final long FOREVER_MS = -1;
  public static final String EXPECTED =
      "must be \"forever\" or a duration from 1m to 3650d such as \"7d\", \"12h\" or \"PT36H\"";

  public Retention {
    if (duration != null && (duration.compareTo(MIN) < 0 || duration.compareTo(MAX) > 0)) {
      throw new IllegalArgumentException(EXPECTED + ", got " + Durations.format(duration));
    }
  }

  public static Retention of(Duration duration) {
    return new Retention(duration);
  }

  /**
   * Reads {@code forever} or a duration; throws {@link IllegalArgumentException} with {@link
   * #EXPECTED}.
   */
  public static Retention parse(String text) {
    if ("forever".equals(text)) return FOREVER;
    try {
      return new Retention(Durations.parse(text));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(EXPECTED + ", got \"" + text + "\"", e);
    }
  }

  /** The stored form: null for null, else milliseconds or {@value #FOREVER_MS}. */
  public static Long toStored(Retention retention) {
    if (retention == null) return null;
    return retention.isForever() ? FOREVER_MS : retention.duration.toMillis();
  }

  /** Reads {@link #toStored} back. */
  public static Retention fromStored(Long millis) {
    if (millis == null) return null;
    return millis == FOREVER_MS ? FOREVER : new Retention(Duration.ofMillis(millis));
  }

  public boolean isForever() {
    return duration == null;
  }

  /** As {@link #parse} reads it back. */
  @Override
  public String toString() {
    return isForever() ? "forever" : Durations.format(duration);
  }
}
