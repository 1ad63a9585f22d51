package dev.offload.task;

import java.time.Duration;
import java.util.Locale;
import java.util.random.RandomGenerator;

/**
 * How long to wait before each retry.
 *
 * <p>For retry {@code n} (1 for the first retry): exponential waits {@code min(max, initial *
 * factor^(n-1))}, linear waits {@code min(max, initial * n)}, fixed waits {@code min(max,
 * initial)}. With {@code jitter} the wait is drawn uniformly from {@code [delay/2, delay]}, so that
 * many tasks failing together do not retry together.
 */
public record Backoff(Type type, Duration initial, Duration max, double factor, boolean jitter) {
  public static final Duration DEFAULT_INITIAL = Duration.ofSeconds(1);
  public static final Duration DEFAULT_MAX = Duration.ofHours(1);
  public static final double DEFAULT_FACTOR = 2.0;
  public static final Backoff DEFAULT = of(Type.EXPONENTIAL);

  public enum Type {
    EXPONENTIAL,
    LINEAR,
    FIXED;

    public String wire() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public Backoff {
    if (type == null) throw new IllegalArgumentException("backoff type is required");
    if (initial == null || initial.isNegative()) {
      throw new IllegalArgumentException("backoff initial must be >= 0, got " + initial);
    }
    if (max == null || max.compareTo(initial) < 0) {
      throw new IllegalArgumentException(
          "backoff max must be >= initial (" + initial + "), got " + max);
    }
    if (!(factor >= 1.0) || Double.isInfinite(factor)) {
      throw new IllegalArgumentException(
          "backoff factor must be a finite number >= 1, got " + factor);
    }
  }

  /** The default parameters of docs/design.md (Retries and backoff) for a type; jitter is on. */
  public static Backoff of(Type type) {
    return new Backoff(type, DEFAULT_INITIAL, DEFAULT_MAX, DEFAULT_FACTOR, true);
  }

  /** The wait before retry {@code retryNumber} (1-based) without jitter. */
  public Duration nominalDelay(int retryNumber) {
    if (retryNumber < 1)
      throw new IllegalArgumentException("retry number starts at 1: " + retryNumber);
    double initialMs = initial.toMillis();
    double ms =
        switch (type) {
          case EXPONENTIAL -> initialMs * Math.pow(factor, retryNumber - 1);
          case LINEAR -> initialMs * retryNumber;
          case FIXED -> initialMs;
        };
    return Duration.ofMillis((long) Math.min(max.toMillis(), ms));
  }

  /** The wait before retry {@code retryNumber} (1-based), jittered when {@link #jitter} is on. */
  public Duration delay(int retryNumber, RandomGenerator random) {
    Duration nominal = nominalDelay(retryNumber);
    if (!jitter || nominal.toMillis() < 2) return nominal;
    long full = nominal.toMillis();
    long low = (full + 1) / 2;
    return Duration.ofMillis(low + random.nextLong(full - low + 1));
  }
}
