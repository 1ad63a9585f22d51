package dev.offload.queue;

import dev.offload.queue.QueueInfo.AttemptDurations;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A queue's last hour minute by minute ({@code GET /v1/queues/{name}/history}): {@value #BUCKETS}
 * buckets of one minute, oldest first, from {@code from} to {@code to}; the last one is the
 * current, partial minute. {@code attemptTimeoutMs} is the shortest attempt timeout among the tasks
 * of the attempts sampled in the hour, null when none of them has a timeout or there were no
 * attempts.
 */
public record QueueTimeline(
    String queue, Instant from, Instant to, Long attemptTimeoutMs, List<Bucket> buckets) {
  public static final Duration BUCKET = Duration.ofMinutes(1);
  public static final int BUCKETS = 60;

  public QueueTimeline {
    buckets = List.copyOf(buckets);
  }

  /** The end of the window that holds {@code now}: the start of now's minute plus one minute. */
  public static Instant windowEnd(Instant now) {
    long bucketMs = BUCKET.toMillis();
    return Instant.ofEpochMilli((Math.floorDiv(now.toEpochMilli(), bucketMs) + 1) * bucketMs);
  }

  /**
   * The minute from {@code at}: the queue's tasks created in it, those that reached each terminal
   * status in it, {@code depth} (tasks created before its end and not finished by then), and the
   * attempts that finished in it: how many were sampled and their duration percentiles (nulls when
   * none).
   */
  public record Bucket(
      Instant at,
      long created,
      long succeeded,
      long failed,
      long cancelled,
      long depth,
      int attempts,
      AttemptDurations attemptDurationMs) {
    public long finished() {
      return succeeded + failed + cancelled;
    }
  }
}
