package dev.offload.store;

import dev.offload.queue.QueueTimeline;
import dev.offload.queue.QueueTimeline.Bucket;
import dev.offload.task.TaskStatus;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The {@link QueueTimeline} of one queue: one statement reads the queue's minutes from {@link
 * QueueMinutes} (created, finished, reopened) and its unfinished tasks now from {@code
 * task_counts}, from which the depth at the end of each minute follows (unfinished now + finished
 * since − created since − reopened since), and one small query per minute samples its attempts. The
 * minutes record what happened when it happened, so deleting finished tasks later changes none of
 * them.
 */
final class QueueHistory {
  /**
   * Attempts read per minute for its percentiles, the latest of the minute, so a busy queue costs
   * little.
   */
  static final int ATTEMPT_SAMPLE = 300;

  private static final long BUCKET_MS = QueueTimeline.BUCKET.toMillis();
  private static final String UNFINISHED =
      Arrays.stream(TaskStatus.values())
          .filter(s -> !s.isTerminal())
          .map(s -> "'" + s.wire() + "'")
          .collect(Collectors.joining(", "));

  /**
   * One statement, so the minutes and the count now come from one snapshot and the depths add up.
   */
  private static final String COUNTS =
      """
      SELECT minute, SUM(created), SUM(succeeded), SUM(failed), SUM(cancelled), SUM(reopened) FROM queue_minutes
        WHERE queue = ? AND minute >= ? GROUP BY minute
      UNION ALL
      SELECT NULL, SUM(n), 0, 0, 0, 0 FROM task_counts WHERE queue = ? AND status IN (%s)"""
          .formatted(UNFINISHED);

  /** Like the queue list: settings, or a task now (the shards of a count may cancel out). */
  private static final String KNOWN =
      """
      SELECT 1 FROM queues WHERE name = ?
      UNION ALL SELECT 1 FROM task_counts WHERE queue = ? GROUP BY queue HAVING SUM(n) <> 0""";

  private final Connection c;
  private final String queue;
  private final long from;
  private final long to;

  /**
   * Per minute, index {@link QueueTimeline#BUCKETS} for anything at or after {@code to} (a clock
   * ahead).
   */
  private final long[] created = new long[QueueTimeline.BUCKETS + 1];

  private final long[] succeeded = new long[QueueTimeline.BUCKETS + 1];
  private final long[] failed = new long[QueueTimeline.BUCKETS + 1];
  private final long[] cancelled = new long[QueueTimeline.BUCKETS + 1];
  private final long[] reopened = new long[QueueTimeline.BUCKETS + 1];
  private long unfinished;

  QueueHistory(Connection c, String queue, Instant now) {
    this.c = c;
    this.queue = queue;
    this.to = QueueTimeline.windowEnd(now).toEpochMilli();
    this.from = to - QueueTimeline.BUCKETS * BUCKET_MS;
  }

  /** Empty when no task ever named the queue and no settings were put for it. */
  Optional<QueueTimeline> read() throws SQLException {
    if (!known()) return Optional.empty();
    count();
    List<Bucket> buckets = new ArrayList<>();
    Long shortestTimeout = null;
    long depth = unfinished + change(QueueTimeline.BUCKETS);
    long[] depthAtEnd = new long[QueueTimeline.BUCKETS];
    for (int i = QueueTimeline.BUCKETS - 1; i >= 0; i--) {
      depthAtEnd[i] = depth;
      depth += change(i);
    }
    for (int i = 0; i < QueueTimeline.BUCKETS; i++) {
      long at = from + i * BUCKET_MS;
      AttemptSample attempts = AttemptSample.read(c, queue, at, at + BUCKET_MS, ATTEMPT_SAMPLE);
      Long timeout = attempts.shortestTimeoutMs();
      if (timeout != null && (shortestTimeout == null || timeout < shortestTimeout))
        shortestTimeout = timeout;
      buckets.add(
          new Bucket(
              Instant.ofEpochMilli(at),
              created[i],
              succeeded[i],
              failed[i],
              cancelled[i],
              depthAtEnd[i],
              attempts.size(),
              attempts.durations()));
    }
    return Optional.of(
        new QueueTimeline(
            queue, Instant.ofEpochMilli(from), Instant.ofEpochMilli(to), shortestTimeout, buckets));
  }

  /** How much deeper the queue was at the start of {@code bucket} than at its end. */
  private long change(int bucket) {
    return succeeded[bucket]
        + failed[bucket]
        + cancelled[bucket]
        - created[bucket]
        - reopened[bucket];
  }

  private boolean known() throws SQLException {
    try (PreparedStatement s = c.prepareStatement(KNOWN)) {
      s.setString(1, queue);
      s.setString(2, queue);
      try (ResultSet row = s.executeQuery()) {
        return row.next();
      }
    }
  }

  private void count() throws SQLException {
    try (PreparedStatement s = c.prepareStatement(COUNTS)) {
      s.setString(1, queue);
      s.setLong(2, from);
      s.setString(3, queue);
      try (ResultSet row = s.executeQuery()) {
        while (row.next()) {
          long minute = row.getLong(1);
          if (row.wasNull()) {
            unfinished = row.getLong(2);
            continue;
          }
          int bucket = (int) Math.min((minute - from) / BUCKET_MS, QueueTimeline.BUCKETS);
          created[bucket] += row.getLong(2);
          succeeded[bucket] += row.getLong(3);
          failed[bucket] += row.getLong(4);
          cancelled[bucket] += row.getLong(5);
          reopened[bucket] += row.getLong(6);
        }
      }
    }
  }
}
