package dev.offload.store;

import dev.offload.event.EventQuery;
import dev.offload.task.AttemptOutcome;
import dev.offload.task.Task;
import dev.offload.task.TaskEvent;
import dev.offload.task.TaskEventType;
import dev.offload.task.TaskId;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code events} table as read by live streams: events with their tasks, pruned by age and
 * count.
 */
public final class EventLog {
  private final Database database;

  EventLog(Database database) {
    this.database = database;
  }

  /**
   * Events of {@code query}, oldest first, each with its task as it is now. Every state change
   * writes its event in its own transaction, so the events of a committed change are never missing.
   */
  public List<TaskEvent> events(EventQuery query) {
    return database.read("read events", c -> read(c, query));
  }

  /** The id of the newest event, 0 if there is none. */
  public long lastEventId() {
    return database.read("read last event id", EventLog::lastId);
  }

  /**
   * Deletes events older than {@code before} and all but the newest {@code keep}; returns how many.
   */
  public int pruneEvents(Instant before, int keep) {
    return database.write("prune events", c -> prune(c, before, keep));
  }

  private static List<TaskEvent> read(Connection connection, EventQuery query) throws SQLException {
    StringBuilder sql =
        new StringBuilder(
            "SELECT id, task_id, queue, type, attempt, outcome, created_at FROM events WHERE id > ? AND id <= ?");
    if (query.taskId() != null) sql.append(" AND task_id = ?");
    if (query.queue() != null) sql.append(" AND queue = ?");
    sql.append(" ORDER BY id LIMIT ?");
    List<Row> rows = new ArrayList<>();
    try (PreparedStatement s = connection.prepareStatement(sql.toString())) {
      int i = 0;
      s.setLong(++i, query.afterId());
      s.setLong(++i, query.upToId());
      if (query.taskId() != null) s.setString(++i, query.taskId().value());
      if (query.queue() != null) s.setString(++i, query.queue());
      s.setInt(++i, query.limit());
      try (ResultSet row = s.executeQuery()) {
        while (row.next()) {
          String outcome = row.getString(6);
          rows.add(
              new Row(
                  row.getLong(1),
                  TaskEventType.fromWire(row.getString(4)).orElseThrow(),
                  new TaskId(row.getString(2)),
                  row.getString(3),
                  row.getInt(5),
                  outcome == null ? null : AttemptOutcome.fromWire(outcome),
                  Instant.ofEpochMilli(row.getLong(7))));
        }
      }
    }
    Map<String, Task> tasks =
        query.withTasks()
            ? tasks(connection, rows.stream().map(r -> r.taskId().value()).distinct().toList())
            : Map.of();
    return rows.stream()
        .map(
            r ->
                new TaskEvent(
                    r.id,
                    r.type,
                    r.taskId,
                    r.queue,
                    r.attempt,
                    r.outcome,
                    r.at,
                    tasks.get(r.taskId.value())))
        .toList();
  }

  private record Row(
      long id,
      TaskEventType type,
      TaskId taskId,
      String queue,
      int attempt,
      AttemptOutcome outcome,
      Instant at) {}

  private static Map<String, Task> tasks(Connection connection, List<String> ids)
      throws SQLException {
    Map<String, Task> tasks = new HashMap<>();
    for (int from = 0; from < ids.size(); from += 500) {
      List<String> chunk = ids.subList(from, Math.min(ids.size(), from + 500));
      String marks = String.join(", ", Collections.nCopies(chunk.size(), "?"));
      try (PreparedStatement s =
          connection.prepareStatement(
              "SELECT " + TaskRows.COLUMNS + " FROM tasks WHERE id IN (" + marks + ")")) {
        for (int i = 0; i < chunk.size(); i++) s.setString(i + 1, chunk.get(i));
        try (ResultSet row = s.executeQuery()) {
          while (row.next()) {
            Task task = TaskRows.task(row);
            tasks.put(task.id().value(), task);
          }
        }
      }
    }
    return tasks;
  }

  private static long lastId(Connection connection) throws SQLException {
    try (PreparedStatement s =
            connection.prepareStatement("SELECT COALESCE(MAX(id), 0) FROM events");
        ResultSet row = s.executeQuery()) {
      row.next();
      return row.getLong(1);
    }
  }

  /**
   * The first kept id is found walking the primary key from the oldest row, so the cost is that of
   * the rows deleted.
   */
  private static int prune(Connection connection, Instant before, int keep) throws SQLException {
    long lastId = lastId(connection);
    long firstKept = lastId - keep + 1;
    try (PreparedStatement s =
        connection.prepareStatement(
            "SELECT id FROM events WHERE created_at >= ? ORDER BY id LIMIT 1")) {
      s.setLong(1, before.toEpochMilli());
      try (ResultSet row = s.executeQuery()) {
        firstKept = Math.max(firstKept, row.next() ? row.getLong(1) : lastId + 1);
      }
    }
    try (PreparedStatement s = connection.prepareStatement("DELETE FROM events WHERE id < ?")) {
      s.setLong(1, firstKept);
      return s.executeUpdate();
    }
  }
}
