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
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The figures of {@code GET /v1/queues}, of every queue or of one, none of which counts tasks:
 * counts by status from {@link TaskCounts} (exact), the oldest ready task (an index step), tasks
 * finished in the last minute and hour from {@link QueueMinutes} (whole minutes exact, the minute
 * the window cuts through estimated), and attempt duration percentiles (with the shortest timeout
 * of their tasks) over the queue's last {@value #DURATION_SAMPLE} attempts of the last hour.
 */
final class QueueFigures {
  static final int DURATION_SAMPLE = 1_000;
  private static final long HOUR_MS = 3_600_000;

  private final Connection c;
  private final long now;
  private final String only;

  /** {@code only}: the one queue to read, or null for all. */
  QueueFigures(Connection c, Instant now, String only) {
    this.c = c;
    this.now = now.toEpochMilli();
    this.only = only;
  }

  List<QueueInfo> read() throws SQLException {
    Map<String, QueueSettings> settings = settings();
    Map<String, Map<TaskStatus, Long>> counted = TaskCounts.byQueue(c, only);
    Map<String, QueueMinutes.Finished> finished = QueueMinutes.finished(c, only, now);
    SortedSet<String> names = new TreeSet<>(settings.keySet());
    names.addAll(counted.keySet());
    List<QueueInfo> infos = new ArrayList<>();
    for (String name : names) {
      Map<TaskStatus, Long> counts = new EnumMap<>(TaskStatus.class);
      Map<TaskStatus, Long> stored = counted.getOrDefault(name, Map.of());
      for (TaskStatus status : TaskStatus.values())
        counts.put(status, stored.getOrDefault(status, 0L));
      Long oldestReadyAt = TaskCounts.oldestReadyAt(c, name, now);
      QueueMinutes.Finished done = finished.getOrDefault(name, new QueueMinutes.Finished(0, 0));
      AttemptSample attempts =
          AttemptSample.read(c, name, now - HOUR_MS, Long.MAX_VALUE, DURATION_SAMPLE);
      infos.add(
          new QueueInfo(
              name,
              settings.getOrDefault(name, QueueSettings.NONE),
              counts,
              counts.get(TaskStatus.RUNNING),
              oldestReadyAt == null ? null : Math.max(0, now - oldestReadyAt),
              new Throughput(Math.round(done.lastMinute()), Math.round(done.lastHour())),
              attempts.durations(),
              attempts.shortestTimeoutMs(),
              attempts.size()));
    }
    return infos;
  }

  private Map<String, QueueSettings> settings() throws SQLException {
    Map<String, QueueSettings> settings = new TreeMap<>();
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT "
                + QueueRow.COLUMNS
                + " FROM queues"
                + (only == null ? "" : " WHERE name = ?"))) {
      if (only != null) s.setString(1, only);
      try (ResultSet row = s.executeQuery()) {
        while (row.next()) settings.put(row.getString("name"), QueueRow.of(row).settings());
      }
    }
    return settings;
  }
}
