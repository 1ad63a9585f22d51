package dev.offload.store;

import dev.offload.task.TaskStatus;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Active tasks counted by queue and status, for the queue gauges. */
final class QueueDepths {
  private QueueDepths() {}

  static List<QueueDepth> read(Connection c) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("""
        SELECT queue, status, COUNT(*), MIN(CASE WHEN status = 'queued' THEN due_at END)
        FROM tasks WHERE status IN ('scheduled', 'queued', 'retrying', 'running') GROUP BY queue, status""")) {
      List<QueueDepth> depths = new ArrayList<>();
      try (ResultSet row = s.executeQuery()) {
        while (row.next()) {
          long oldest = row.getLong(4);
          Instant oldestReadySince = row.wasNull() ? null : Instant.ofEpochMilli(oldest);
          depths.add(new QueueDepth(row.getString(1), TaskStatus.fromWire(row.getString(2)).orElseThrow(),
              row.getLong(3), oldestReadySince));
        }
      }
      return depths;
    }
  }
}
