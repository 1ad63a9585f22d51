package dev.offload.event;

import java.time.Duration;

/**
 * How events are followed and kept: {@code pollInterval} between looks at the table while someone
 * subscribes (local commits also wake it), {@code gapWait} before a missing id counts as rolled
 * back, at most {@code maxSubscribers} streams per node, and events are kept for {@code retention}
 * but never more than the newest {@code maxKept}.
 */
public record EventsConfig(
    Duration pollInterval, Duration gapWait, int maxSubscribers, Duration retention, int maxKept) {
  public static final EventsConfig DEFAULT =
      new EventsConfig(
          Duration.ofMillis(100), Duration.ofSeconds(2), 1_000, Duration.ofHours(1), 100_000);

  public EventsConfig {
    if (pollInterval.isNegative() || pollInterval.isZero())
      throw new IllegalArgumentException("pollInterval must be > 0, got " + pollInterval);
    if (gapWait.isNegative())
      throw new IllegalArgumentException("gapWait must be >= 0, got " + gapWait);
    if (maxSubscribers < 1)
      throw new IllegalArgumentException("maxSubscribers must be >= 1, got " + maxSubscribers);
    if (retention.isNegative() || retention.isZero())
      throw new IllegalArgumentException("retention must be > 0, got " + retention);
    if (maxKept < 1) throw new IllegalArgumentException("maxKept must be >= 1, got " + maxKept);
  }
}
