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
 * The {@code events} table: rows added inside the transaction of the change they record (so an
 * event exists exactly when its change committed), and read back with their tasks.
 */
final class EventRows {
  private static final String INSERT =
      "INSERT INTO events (task_id, queue, type, attempt, outcome, created_at) VALUES (?, ?, ?, ?, ?, ?)";
  /** For writers that know only the task id: the queue and attempt count come from the row. */
  private static final String INSERT_FROM_TASK = """
      INSERT INTO events (task_id, queue, type, attempt, outcome, created_at)
      SELECT id, queue, ?, attempts, ?, ? FROM tasks WHERE id = ?""";

  private EventRows() {}

  /** A batch of events of tasks whose queue and attempt count the caller knows. */
  /** Records {@code attempt.started} for every task just claimed or leased, in the claiming transaction. */
  static void attemptsStarted(Connection connection, List<Task> claimed, Instant now) throws SQLException {
    if (claimed.isEmpty()) return;
    try (Batch events = new Batch(connection)) {
      for (Task task : claimed) events.add(task.id(), task.queue(), TaskEventType.ATTEMPT_STARTED, task.attempts(), now);
      events.execute();
    }
  }

  /** One prepared insert, its rows added in a batch and run together; closing closes the statement. */
  abstract static class StatementBatch implements AutoCloseable {
    final PreparedStatement statement;

    StatementBatch(Connection connection, String sql) throws SQLException {
      this.statement = connection.prepareStatement(sql);
    }

    void execute() throws SQLException {
      statement.executeBatch();
    }

    @Override
    public void close() throws SQLException {
      statement.close();
    }
  }

  static final class Batch extends StatementBatch {
    Batch(Connection connection) throws SQLException {
      super(connection, INSERT);
    }

    void add(TaskId taskId, String queue, TaskEventType type, int attempt, Instant at) throws SQLException {
      statement.setString(1, taskId.value());
      statement.setString(2, queue);
      statement.setString(3, type.wire());
      statement.setInt(4, attempt);
      statement.setString(5, null);
      statement.setLong(6, at.toEpochMilli());
      statement.addBatch();
    }
  }

  /** A batch of events of tasks known by id only. */
  static final class FromTask extends StatementBatch {
    FromTask(Connection connection) throws SQLException {
      super(connection, INSERT_FROM_TASK);
    }

    void add(TaskId taskId, TaskEventType type, AttemptOutcome outcome, Instant at) throws SQLException {
      statement.setString(1, type.wire());
      statement.setString(2, outcome == null ? null : outcome.wire());
      statement.setLong(3, at.toEpochMilli());
      statement.setString(4, taskId.value());
      statement.addBatch();
    }
  }

  static void record(Connection connection, TaskId taskId, TaskEventType type, Instant at) throws SQLException {
    try (FromTask events = new FromTask(connection)) {
      events.add(taskId, type, null, at);
      events.execute();
    }
  }

  static List<TaskEvent> read(Connection connection, EventQuery query) throws SQLException {
    StringBuilder sql = new StringBuilder(
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
          rows.add(new Row(row.getLong(1), TaskEventType.fromWire(row.getString(4)).orElseThrow(),
              new TaskId(row.getString(2)), row.getString(3), row.getInt(5),
              outcome == null ? null : AttemptOutcome.fromWire(outcome), Instant.ofEpochMilli(row.getLong(7))));
        }
      }
    }
    Map<String, Task> tasks = query.withTasks()
        ? tasks(connection, rows.stream().map(r -> r.taskId().value()).distinct().toList()) : Map.of();
    return rows.stream()
        .map(r -> new TaskEvent(r.id, r.type, r.taskId, r.queue, r.attempt, r.outcome, r.at, tasks.get(r.taskId.value())))
        .toList();
  }

  private record Row(long id, TaskEventType type, TaskId taskId, String queue, int attempt, AttemptOutcome outcome, Instant at) {}

  private static Map<String, Task> tasks(Connection connection, List<String> ids) throws SQLException {
    Map<String, Task> tasks = new HashMap<>();
    for (int from = 0; from < ids.size(); from += 500) {
      List<String> chunk = ids.subList(from, Math.min(ids.size(), from + 500));
      String marks = String.join(", ", Collections.nCopies(chunk.size(), "?"));
      try (PreparedStatement s = connection.prepareStatement(
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

  static long lastId(Connection connection) throws SQLException {
    try (PreparedStatement s = connection.prepareStatement("SELECT COALESCE(MAX(id), 0) FROM events");
        ResultSet row = s.executeQuery()) {
      row.next();
      return row.getLong(1);
    }
  }

  /**
   * Deletes events older than {@code before} and all but the newest {@code keep}. The first kept
   * id is found walking the primary key from the oldest row, so the cost is that of the rows deleted.
   */
  static int prune(Connection connection, Instant before, int keep) throws SQLException {
    long lastId = lastId(connection);
    long firstKept = lastId - keep + 1;
    try (PreparedStatement s = connection.prepareStatement(
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
