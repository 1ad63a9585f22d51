package dev.offload.store;

import dev.offload.task.ActionResult;
import dev.offload.task.Task;
import dev.offload.task.TaskId;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Deletes finished tasks with everything kept for them: attempts, events and the idempotency key
 * that points at them. Only terminal tasks are ever deleted, each statement says so itself.
 */
final class TaskDeletes {
  static final String TERMINAL = "status IN ('succeeded', 'failed', 'cancelled')";

  private TaskDeletes() {}

  /** Deletes one finished task; a task that is not finished stays ({@code WrongState}). */
  static ActionResult deleteFinished(Connection c, TaskId id) throws SQLException {
    Optional<Task> task = TaskRows.find(c, id);
    if (task.isEmpty()) return new ActionResult.NotFound();
    if (!task.get().status().isTerminal()) return new ActionResult.WrongState(task.get());
    try (PreparedStatement s =
        c.prepareStatement(
            "DELETE FROM tasks WHERE id = ? AND "
                + TERMINAL
                + " RETURNING id, idempotency_key, purge_at")) {
      s.setString(1, id.value());
      if (deleteWithChildren(c, s).tasks() == 1) return new ActionResult.Done(task.get());
    }
    // retried between the read and the delete, by another node
    return TaskActions.result(c, id, 0);
  }

  /** How many tasks a delete removed, and the latest purge time among them (or -1). */
  record Deleted(int tasks, long lastPurgeAt) {}

  /**
   * Runs {@code deleteTasks}, which returns the id, idempotency key and purge time of each task it
   * deleted, then deletes their rows elsewhere.
   */
  static Deleted deleteWithChildren(Connection c, PreparedStatement deleteTasks)
      throws SQLException {
    List<String> ids = new ArrayList<>();
    List<String> keys = new ArrayList<>();
    long lastPurgeAt = -1;
    try (ResultSet row = deleteTasks.executeQuery()) {
      while (row.next()) {
        ids.add(row.getString(1));
        if (row.getString(2) != null) keys.add(row.getString(2));
        lastPurgeAt = Math.max(lastPurgeAt, row.getLong(3));
      }
    }
    if (ids.isEmpty()) return new Deleted(ids.size(), lastPurgeAt);
    deleteByTask(c, "DELETE FROM attempts WHERE task_id IN (%s)", ids, List.of());
    deleteByTask(c, "DELETE FROM events WHERE task_id IN (%s)", ids, List.of());
    // By key, the table's primary key; the task id check keeps a key that another task holds by
    // now.
    if (!keys.isEmpty())
      deleteByTask(
          c,
          "DELETE FROM idempotency_keys WHERE idem_key IN (%2$s) AND task_id IN (%1$s)",
          ids,
          keys);
    return new Deleted(ids.size(), lastPurgeAt);
  }

  private static void deleteByTask(Connection c, String sql, List<String> ids, List<String> keys)
      throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            sql.formatted(ClaimSql.placeholders(ids.size()), ClaimSql.placeholders(keys.size())))) {
      int i = 1;
      for (String key : keys) s.setString(i++, key);
      for (String id : ids) s.setString(i++, id);
      s.executeUpdate();
    }
  }
}
