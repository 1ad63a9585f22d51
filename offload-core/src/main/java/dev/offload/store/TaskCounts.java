package dev.offload.store;

import dev.offload.task.TaskStatus;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The figures the V007 triggers keep in the transaction of every write: tasks per queue and status
 * ({@code task_counts}, summed over its shards), exact; and the oldest ready ({@code queued}) task
 * of a queue, a few steps down the {@code tasks_ready_by_queue} index (bounded by due_at: only
 * tasks whose time has come are read, and the engine promotes those to queued as they come due).
 */
final class TaskCounts {
  private static final String COUNTS =
      "SELECT queue, status, SUM(n) FROM task_counts%s GROUP BY queue, status";
  static final String OLDEST_READY =
      "SELECT due_at FROM tasks WHERE queue = ? AND due_at <= ? AND status = 'queued' ORDER BY due_at LIMIT 1";

  private TaskCounts() {}

  /**
   * Per queue (or only {@code queue} when not null) its tasks by status; a queue whose counts are
   * all zero (every task deleted) is left out, as if it had never had tasks.
   */
  static Map<String, Map<TaskStatus, Long>> byQueue(Connection c, String queue)
      throws SQLException {
    Map<String, Map<TaskStatus, Long>> counts = new TreeMap<>();
    try (PreparedStatement s =
        c.prepareStatement(COUNTS.formatted(queue == null ? "" : " WHERE queue = ?"))) {
      if (queue != null) s.setString(1, queue);
      try (ResultSet row = s.executeQuery()) {
        while (row.next()) {
          long n = row.getLong(3);
          if (n == 0) continue;
          TaskStatus status = TaskStatus.fromWire(row.getString(2)).orElse(null);
          if (status != null)
            counts
                .computeIfAbsent(row.getString(1), q -> new EnumMap<>(TaskStatus.class))
                .put(status, n);
        }
      }
    }
    return counts;
  }

  /** When the queue's longest-waiting ready task became due (epoch ms), or null. */
  static Long oldestReadyAt(Connection c, String queue, long nowMs) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(OLDEST_READY)) {
      s.setString(1, queue);
      s.setLong(2, nowMs);
      try (ResultSet row = s.executeQuery()) {
        return row.next() ? row.getLong(1) : null;
      }
    }
  }
}
