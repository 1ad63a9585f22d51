package dev.offload.store;

import dev.offload.queue.QueueInfo;
import dev.offload.queue.QueueInfo.Throughput;
import dev.offload.queue.QueueSettings;
import dev.offload.task.TaskStatus;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The figures of {@code GET /v1/queues}, of every queue or of one: counts by status (one GROUP BY
 * over the (queue, status) index), the oldest ready task, tasks finished in the last minute and
 * hour, and attempt duration percentiles (with the shortest timeout of their tasks) over the
 * queue's last {@value #DURATION_SAMPLE} attempts of the last hour.
 */
final class QueueFigures {
  static final int DURATION_SAMPLE = 1_000;
  private static final long MINUTE_MS = 60_000;
  private static final long HOUR_MS = 3_600_000;

  private final Connection c;
  private final long now;
  private final String only;
  private final Map<String, Figures> queues = new TreeMap<>();

  /** {@code only}: the one queue to read, or null for all. */
  QueueFigures(Connection c, Instant now, String only) {
    this.c = c;
    this.now = now.toEpochMilli();
    this.only = only;
  }

  private static final class Figures {
    QueueSettings settings = QueueSettings.NONE;
    final Map<TaskStatus, Long> counts = new EnumMap<>(TaskStatus.class);
    Long oldestReadyAt;
    long lastMinute;
    long lastHour;
  }

  List<QueueInfo> read() throws SQLException {
    query("SELECT " + QueueRow.COLUMNS + " FROM queues WHERE 1 = 1%s", row -> figures(row.getString("name")).settings =
        QueueRow.of(row).settings());
    query("SELECT queue, status, COUNT(*) FROM tasks WHERE 1 = 1%s GROUP BY queue, status", row -> {
      Figures f = figures(row.getString(1));
      long count = row.getLong(3);
      TaskStatus.fromWire(row.getString(2)).ifPresent(status -> f.counts.put(status, count));
    });
    query("SELECT queue, MIN(due_at) FROM tasks WHERE due_at <= " + now + "%s GROUP BY queue", row ->
        figures(row.getString(1)).oldestReadyAt = row.getLong(2));
    query("SELECT queue, SUM(CASE WHEN finished_at >= " + (now - MINUTE_MS) + " THEN 1 ELSE 0 END), COUNT(*) FROM tasks"
        + " WHERE finished_at >= " + (now - HOUR_MS) + "%s GROUP BY queue", row -> {
          Figures f = figures(row.getString(1));
          f.lastMinute = row.getLong(2);
          f.lastHour = row.getLong(3);
        });
    List<QueueInfo> infos = new ArrayList<>();
    for (Map.Entry<String, Figures> entry : queues.entrySet()) {
      Figures f = entry.getValue();
      AttemptSample attempts = AttemptSample.read(c, entry.getKey(), now - HOUR_MS, Long.MAX_VALUE, DURATION_SAMPLE);
      Map<TaskStatus, Long> counts = new EnumMap<>(TaskStatus.class);
      for (TaskStatus status : TaskStatus.values()) counts.put(status, f.counts.getOrDefault(status, 0L));
      infos.add(new QueueInfo(entry.getKey(), f.settings, counts, counts.get(TaskStatus.RUNNING),
          f.oldestReadyAt == null ? null : Math.max(0, now - f.oldestReadyAt), new Throughput(f.lastMinute, f.lastHour),
          attempts.durations(), attempts.shortestTimeoutMs(), attempts.size()));
    }
    return infos;
  }

  private Figures figures(String queue) {
    return queues.computeIfAbsent(queue, q -> new Figures());
  }

  @FunctionalInterface
  private interface RowReader {
    void read(ResultSet row) throws SQLException;
  }

  /** Runs {@code sql} with its {@code %s} replaced by the one-queue filter when there is one. */
  private void query(String sql, RowReader reader) throws SQLException {
    String column = sql.contains("FROM queues") ? "name" : "queue";
    try (PreparedStatement s = c.prepareStatement(sql.formatted(only == null ? "" : " AND " + column + " = ?"))) {
      if (only != null) s.setString(1, only);
      try (ResultSet row = s.executeQuery()) {
        while (row.next()) reader.read(row);
      }
    }
  }
}
