package dev.offload.dispatch;

import java.time.Duration;

/**
 * Dispatcher settings. {@code leaseTimeout}: how long a claimed task stays leased without renewal
 * before another node may retry it. {@code pollInterval}: the longest the claim loop sleeps when
 * nothing wakes it (a safety net; new work and due times wake it earlier). {@code shutdownGrace}:
 * how long a stop lets calls in flight finish before putting their tasks back in the queue. {@code
 * commitPace}: the least time between the transactions of each writing loop (intake, claims,
 * finishes) while work arrives back to back, so that it shares commits (see {@link CommitPace});
 * zero commits each piece of work on its own.
 */
public record DispatchConfig(
    String nodeId,
    Duration leaseTimeout,
    int maxInFlight,
    int claimBatch,
    Duration pollInterval,
    Duration shutdownGrace,
    Duration commitPace) {
  public static final Duration DEFAULT_LEASE_TIMEOUT = Duration.ofSeconds(60);
  public static final int DEFAULT_MAX_IN_FLIGHT = 10_000;
  public static final int DEFAULT_CLAIM_BATCH = 256;
  public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(1);
  public static final Duration DEFAULT_SHUTDOWN_GRACE = Duration.ofSeconds(30);
  public static final Duration DEFAULT_COMMIT_PACE = Duration.ofMillis(3);
  private static final Duration MAX_COMMIT_PACE = Duration.ofSeconds(1);

  public DispatchConfig {
    if (nodeId == null || nodeId.isBlank())
      throw new IllegalArgumentException("nodeId is required");
    if (leaseTimeout == null || leaseTimeout.toMillis() < 100) {
      throw new IllegalArgumentException("leaseTimeout must be >= 100ms, got " + leaseTimeout);
    }
    if (maxInFlight < 1)
      throw new IllegalArgumentException("maxInFlight must be >= 1, got " + maxInFlight);
    if (claimBatch < 1)
      throw new IllegalArgumentException("claimBatch must be >= 1, got " + claimBatch);
    if (pollInterval == null || pollInterval.toMillis() < 10) {
      throw new IllegalArgumentException("pollInterval must be >= 10ms, got " + pollInterval);
    }
    if (shutdownGrace == null || shutdownGrace.isNegative()) {
      throw new IllegalArgumentException("shutdownGrace must be >= 0, got " + shutdownGrace);
    }
    if (commitPace == null
        || commitPace.isNegative()
        || commitPace.compareTo(MAX_COMMIT_PACE) > 0) {
      throw new IllegalArgumentException(
          "commitPace must be between 0 and "
              + MAX_COMMIT_PACE.toMillis()
              + "ms, got "
              + commitPace);
    }
  }
}
