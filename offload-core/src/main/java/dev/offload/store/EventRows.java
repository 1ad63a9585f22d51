package dev.offload.store;

import dev.offload.task.AttemptOutcome;
import dev.offload.task.Task;
import dev.offload.task.TaskEventType;
import dev.offload.task.TaskId;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

/**
 * Rows of the {@code events} table, added inside the transaction of the change they record (so an
 * event exists exactly when its change committed); read back by {@link EventLog}.
 */
final class EventRows {
  private static final String INSERT =
      "INSERT INTO events (task_id, queue, type, attempt, outcome, created_at) VALUES (?, ?, ?, ?, ?, ?)";

  /** For writers that know only the task id: the queue and attempt count come from the row. */
  private static final String INSERT_FROM_TASK =
      """
      INSERT INTO events (task_id, queue, type, attempt, outcome, created_at)
      SELECT id, queue, ?, attempts, ?, ? FROM tasks WHERE id = ?""";

  private EventRows() {}

  /**
   * Records {@code attempt.started} for every task just claimed or leased, in the claiming
   * transaction.
   */
  static void attemptsStarted(Connection connection, List<Task> claimed, Instant now)
      throws SQLException {
    if (claimed.isEmpty()) return;
    try (Batch events = new Batch(connection)) {
      for (Task task : claimed)
        events.add(task.id(), task.queue(), TaskEventType.ATTEMPT_STARTED, task.attempts(), now);
      events.execute();
    }
  }

  /**
   * One prepared insert, its rows added in a batch and run together; closing closes the statement.
   */
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

  /** A batch of events of tasks whose queue and attempt count the caller knows. */
  static final class Batch extends StatementBatch {
    Batch(Connection connection) throws SQLException {
      super(connection, INSERT);
    }

    void add(TaskId taskId, String queue, TaskEventType type, int attempt, Instant at)
        throws SQLException {
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

    void add(TaskId taskId, TaskEventType type, AttemptOutcome outcome, Instant at)
        throws SQLException {
      statement.setString(1, type.wire());
      statement.setString(2, outcome == null ? null : outcome.wire());
      statement.setLong(3, at.toEpochMilli());
      statement.setString(4, taskId.value());
      statement.addBatch();
    }
  }

  static void record(Connection connection, TaskId taskId, TaskEventType type, Instant at)
      throws SQLException {
    try (FromTask events = new FromTask(connection)) {
      events.add(taskId, type, null, at);
      events.execute();
    }
  }
}
