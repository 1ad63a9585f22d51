package dev.offload.store;

import dev.offload.task.Task;
import dev.offload.task.TaskId;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Deletes finished tasks with everything kept for them: attempts, events and the idempotency key
 * that points at them. Only terminal tasks are ever deleted, each statement says so itself.
 */
final class TaskDeletes {
  private static final String TERMINAL = "status IN ('succeeded', 'failed', 'cancelled')";
  /**
   * Due for purging: past its purge time, and no completion webhook waiting to go out (a pending
   * delivery keeps its task until it is delivered or given up).
   */
  private static final String DUE = "purge_at >= ? AND purge_at <= ? AND webhook_due_at IS NULL AND " + TERMINAL;

  private TaskDeletes() {}

  /** Deletes one finished task; a task that is not finished stays ({@code WrongState}). */
  static ActionResult deleteFinished(Connection c, TaskId id) throws SQLException {
    Optional<Task> task = TaskRows.find(c, id);
    if (task.isEmpty()) return new ActionResult.NotFound();
    if (!task.get().status().isTerminal()) return new ActionResult.WrongState(task.get());
    try (PreparedStatement s = c.prepareStatement("DELETE FROM tasks WHERE id = ? AND " + TERMINAL + " RETURNING id, idempotency_key, purge_at")) {
      s.setString(1, id.value());
      if (deleteWithChildren(c, s).ids().size() == 1) return new ActionResult.Done(task.get());
    }
    // retried between the read and the delete, by another node
    return TaskActions.result(c, id, 0);
  }

  /**
   * Deletes up to {@code max} tasks due for purging at {@code now} with a purge time from
   * {@code from} on (epoch ms, at least 0), oldest purge time first. On PostgreSQL the rows are
   * picked with {@code SKIP LOCKED}, so nodes purging at once never pick the same task and never
   * wait for each other. The batch reads the first rows of the purge index in its order: without
   * statistics both planners would rather take every finished task by status and sort them, a
   * scan of millions for each batch. And on PostgreSQL the entries of rows deleted by earlier
   * batches stay in the index until VACUUM: each batch starting at the bottom stepped over all of
   * them (40 ms for a batch of 100 after 200,000 deletes, 0.6 ms from where the last one ended).
   */
  static PurgedBatch purgeDue(Connection c, Dialect dialect, long from, Instant now, int max) throws SQLException {
    ClaimSql.preamble(c, dialect);
    try (PreparedStatement s = c.prepareStatement(purgeSql(dialect))) {
      s.setLong(1, Math.max(0, from));
      s.setLong(2, now.toEpochMilli());
      s.setInt(3, max);
      Deleted deleted = deleteWithChildren(c, s);
      return new PurgedBatch(deleted.ids().size(), Math.max(from, deleted.lastPurgeAt()));
    }
  }

  /** Deletes a batch of due tasks: parameters are the lowest purge time, the time and the batch size. */
  static String purgeSql(Dialect dialect) {
    return """
        DELETE FROM tasks WHERE id IN (SELECT id FROM tasks%s WHERE %s ORDER BY purge_at LIMIT ?%s)
        RETURNING id, idempotency_key, purge_at""".formatted(dialect.indexHint("tasks_purge"), DUE, dialect.skipLockedClause());
  }

  /**
   * Gives tasks that finished before retention existed (marked {@code purge_at = -1} by the
   * migration that added it) their purge time under the current settings, up to {@code max}.
   */
  static int settleUnmarked(Connection c, Dialect dialect, PurgeTimes purge, int max) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("""
        UPDATE tasks SET purge_at = %s
        WHERE id IN (SELECT id FROM tasks WHERE purge_at = -1 LIMIT ?%s)"""
        .formatted(purge.expression("finished_at", "status = 'succeeded'"), dialect.skipLockedClause()))) {
      s.setInt(1, max);
      return s.executeUpdate();
    }
  }

  /** The tasks a delete returned: ids, idempotency keys, and the latest purge time (or -1). */
  private record Deleted(List<String> ids, List<String> keys, long lastPurgeAt) {}

  /**
   * Runs {@code deleteTasks}, which returns the id, idempotency key and purge time of each task it
   * deleted, then deletes their rows elsewhere.
   */
  private static Deleted deleteWithChildren(Connection c, PreparedStatement deleteTasks) throws SQLException {
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
    if (ids.isEmpty()) return new Deleted(ids, keys, lastPurgeAt);
    deleteByTask(c, "DELETE FROM attempts WHERE task_id IN (%s)", ids, List.of());
    deleteByTask(c, "DELETE FROM events WHERE task_id IN (%s)", ids, List.of());
    // By key, the table's primary key; the task id check keeps a key that another task holds by now.
    if (!keys.isEmpty()) deleteByTask(c, "DELETE FROM idempotency_keys WHERE idem_key IN (%2$s) AND task_id IN (%1$s)", ids, keys);
    return new Deleted(ids, keys, lastPurgeAt);
  }

  private static void deleteByTask(Connection c, String sql, List<String> ids, List<String> keys) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(sql.formatted(ClaimSql.placeholders(ids.size()), ClaimSql.placeholders(keys.size())))) {
      int i = 1;
      for (String key : keys) s.setString(i++, key);
      for (String id : ids) s.setString(i++, id);
      s.executeUpdate();
    }
  }

  /** Forgets nodes whose last heartbeat is older than {@code before}. */
  static int forgetNodes(Connection c, Instant before) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("DELETE FROM nodes WHERE heartbeat_at < ?")) {
      s.setLong(1, before.toEpochMilli());
      return s.executeUpdate();
    }
  }
}
