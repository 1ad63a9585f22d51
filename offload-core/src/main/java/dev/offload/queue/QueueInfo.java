package dev.offload.queue;

import dev.offload.task.TaskStatus;
import java.util.Map;

/**
 * A queue as {@code GET /v1/queues} shows it. {@code oldestReadyAgeMs} is null when no task is
 * ready; the duration percentiles are null when no attempt finished in the last hour.
 */
public record QueueInfo(
    String name,
    QueueSettings settings,
    Map<TaskStatus, Long> counts,
    long inFlight,
    Long oldestReadyAgeMs,
    Throughput throughput,
    AttemptDurations attemptDurationMs) {
  public QueueInfo {
    counts = Map.copyOf(counts);
  }

  /** Tasks that reached a terminal state in the last minute and the last hour. */
  public record Throughput(long lastMinute, long lastHour) {}

  /** Percentiles (nearest rank) of the queue's attempt durations in milliseconds. */
  public record AttemptDurations(Long p50, Long p95, Long p99) {}
}
