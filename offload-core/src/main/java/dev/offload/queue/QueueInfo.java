package dev.offload.queue;

import dev.offload.task.TaskStatus;
import java.util.Map;

/**
 * A queue as {@code GET /v1/queues} shows it. {@code oldestReadyAgeMs} is null when no task is
 * ready; the duration percentiles are null when no attempt finished in the last hour; {@code
 * attemptTimeoutMs} is the shortest attempt timeout among the tasks of the attempts the percentiles
 * are over, null when none of them has a timeout or there are none; {@code attemptSamples} how many
 * finished attempts the percentiles are over (cancelled attempts and expired leases left out).
 */
public record QueueInfo(
    String name,
    QueueSettings settings,
    Map<TaskStatus, Long> counts,
    long inFlight,
    Long oldestReadyAgeMs,
    Throughput throughput,
    AttemptDurations attemptDurationMs,
    Long attemptTimeoutMs,
    int attemptSamples) {
  /** The share of the timeout past which p95 flags the queue (README: Monitoring). */
  public static final int NEAR_TIMEOUT_PERCENT = 70;

  /** Finished attempts needed before the queue is judged: one slow call is not a trend. */
  public static final int NEAR_TIMEOUT_MIN_SAMPLES = 20;

  public QueueInfo {
    counts = Map.copyOf(counts);
  }

  /**
   * Whether p95 is past {@value #NEAR_TIMEOUT_PERCENT} % of the timeout, judged from at least
   * {@value #NEAR_TIMEOUT_MIN_SAMPLES} finished attempts; false when either is unknown or the
   * sample is smaller.
   */
  public boolean nearTimeout() {
    Long p95 = attemptDurationMs.p95();
    return attemptSamples >= NEAR_TIMEOUT_MIN_SAMPLES
        && p95 != null
        && attemptTimeoutMs != null
        && p95 * 100 > attemptTimeoutMs * NEAR_TIMEOUT_PERCENT;
  }

  /** Tasks that reached a terminal state in the last minute and the last hour. */
  public record Throughput(long lastMinute, long lastHour) {}

  /** Percentiles (nearest rank) of the queue's attempt durations in milliseconds. */
  public record AttemptDurations(Long p50, Long p95, Long p99) {}
}
