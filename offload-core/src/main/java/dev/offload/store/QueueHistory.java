package dev.offload.store;

import dev.offload.queue.QueueTimeline;
import dev.offload.queue.QueueTimeline.Bucket;
import dev.offload.task.TaskId;
import dev.offload.task.TaskStatus;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The {@link QueueTimeline} of one queue: one statement counts the tasks created and finished per
 * minute and the tasks unfinished now, from which the depth at the end of each minute follows
 * (unfinished now + finished since − created since), and one small query per minute samples its
 * attempts. All of it reads the tasks as they are now: a task retried since it failed has no
 * finished_at any more, so it counts as unfinished from its creation on.
 */
final class QueueHistory {
  /** Attempts read per minute for its percentiles, the latest of the minute, so a busy queue costs little. */
  static final int ATTEMPT_SAMPLE = 300;
  private static final long BUCKET_MS = QueueTimeline.BUCKET.toMillis();
  /**
   * Created counts go by {@code created_at}, the engine's clock at the insert, so they agree with
   * the tasks' {@code createdAt} (also under a test's clock). The id only bounds the scan: ids are
   * ULIDs of the wall clock when the request was read ({@link TaskId#generate}), a moment before
   * the insert, so every task created since {@code from} has an id past the smallest id of
   * {@code from} less this margin, and the (queue, id) index reads just the last hour's tasks
   * rather than every task the queue ever had (no index has (queue, created_at)).
   */
  private static final Duration ID_MARGIN = Duration.ofMinutes(5);
  private static final String UNFINISHED = Arrays.stream(TaskStatus.values()).filter(s -> !s.isTerminal())
      .map(s -> "'" + s.wire() + "'").collect(Collectors.joining(", "));
  /** One statement, so the three counts come from one snapshot and the depths add up. */
  private static final String COUNTS = """
      SELECT 'created', (created_at - ?) / %1$d, NULL, COUNT(*) FROM tasks
        WHERE queue = ? AND id >= ? AND created_at >= ? GROUP BY 2
      UNION ALL
      SELECT 'finished', (finished_at - ?) / %1$d, status, COUNT(*) FROM tasks
        WHERE queue = ? AND finished_at >= ? GROUP BY 2, 3
      UNION ALL
      SELECT 'unfinished', NULL, NULL, COUNT(*) FROM tasks WHERE queue = ? AND status IN (%2$s)"""
      .formatted(BUCKET_MS, UNFINISHED);
  private static final String KNOWN = "SELECT 1 FROM queues WHERE name = ? UNION ALL SELECT 1 FROM tasks WHERE queue = ? LIMIT 1";

  private final Connection c;
  private final String queue;
  private final long from;
  private final long to;
  /** Per minute, index {@link QueueTimeline#BUCKETS} for anything at or after {@code to} (a clock ahead). */
  private final long[] created = new long[QueueTimeline.BUCKETS + 1];
  private final long[] succeeded = new long[QueueTimeline.BUCKETS + 1];
  private final long[] failed = new long[QueueTimeline.BUCKETS + 1];
  private final long[] cancelled = new long[QueueTimeline.BUCKETS + 1];
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
    long depth = unfinished + finished(QueueTimeline.BUCKETS) - created[QueueTimeline.BUCKETS];
    long[] depthAtEnd = new long[QueueTimeline.BUCKETS];
    for (int i = QueueTimeline.BUCKETS - 1; i >= 0; i--) {
      depthAtEnd[i] = depth;
      depth += finished(i) - created[i];
    }
    for (int i = 0; i < QueueTimeline.BUCKETS; i++) {
      long at = from + i * BUCKET_MS;
      AttemptSample attempts = AttemptSample.read(c, queue, at, at + BUCKET_MS, ATTEMPT_SAMPLE);
      Long timeout = attempts.shortestTimeoutMs();
      if (timeout != null && (shortestTimeout == null || timeout < shortestTimeout)) shortestTimeout = timeout;
      buckets.add(new Bucket(Instant.ofEpochMilli(at), created[i], succeeded[i], failed[i], cancelled[i], depthAtEnd[i],
          attempts.size(), attempts.durations()));
    }
    return Optional.of(new QueueTimeline(queue, Instant.ofEpochMilli(from), Instant.ofEpochMilli(to), shortestTimeout, buckets));
  }

  private long finished(int bucket) {
    return succeeded[bucket] + failed[bucket] + cancelled[bucket];
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
      s.setLong(1, from);
      s.setString(2, queue);
      s.setString(3, TaskId.smallestAt(Instant.ofEpochMilli(from).minus(ID_MARGIN)).value());
      s.setLong(4, from);
      s.setLong(5, from);
      s.setString(6, queue);
      s.setLong(7, from);
      s.setString(8, queue);
      try (ResultSet row = s.executeQuery()) {
        while (row.next()) {
          long count = row.getLong(4);
          switch (row.getString(1)) {
            case "created" -> created[bucket(row.getLong(2))] += count;
            case "finished" -> finishedIn(row.getString(3), bucket(row.getLong(2)), count);
            default -> unfinished = count;
          }
        }
      }
    }
  }

  private void finishedIn(String status, int bucket, long count) {
    switch (TaskStatus.fromWire(status).orElseThrow()) {
      case SUCCEEDED -> succeeded[bucket] += count;
      case FAILED -> failed[bucket] += count;
      default -> cancelled[bucket] += count; // the one other status a task with a finished_at has
    }
  }

  private static int bucket(long index) {
    return (int) Math.min(index, QueueTimeline.BUCKETS);
  }
}
