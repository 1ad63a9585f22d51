package dev.offload.store;

import dev.offload.task.ActionResult;
import dev.offload.task.Task;
import dev.offload.task.TaskEventType;
import dev.offload.task.TaskId;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

/**
 * What users do to one task: cancel it, retry it, report its progress, delete it, post a callback.
 * Each is one transaction and answers with the task as the action left it.
 */
public final class TaskActions {
  private static final String ACTIVE = "('scheduled', 'queued', 'retrying', 'running', 'waiting')";
  private static final String WEBHOOK_ON_TERMINAL =
      """
      webhook_status = CASE WHEN webhook_url IS NOT NULL THEN 'pending' ELSE NULL END,
      webhook_due_at = CASE WHEN webhook_url IS NOT NULL THEN ? ELSE NULL END,
      webhook_attempts = 0, webhook_last_error = NULL""";

  private final Database database;
  private final String cancel;

  TaskActions(Database database, PurgeTimes purge) {
    this.database = database;
    this.cancel =
        """
        UPDATE tasks SET status = 'cancelled', due_at = NULL, finished_at = ?, purge_at = %s, lease_owner = NULL,
          lease_expires_at = NULL, %s
        WHERE id = ? AND status IN %s"""
            .formatted(purge.expression("?", "1 = 0"), WEBHOOK_ON_TERMINAL, ACTIVE);
  }

  /** Cancels an active task; a running one loses its lease, and its webhook becomes due. */
  public ActionResult cancel(TaskId id, Instant now) {
    return database.write("cancel task", c -> cancel(c, id, now));
  }

  /** {@link #cancel(TaskId, Instant)} within the transaction of {@code c}. */
  ActionResult cancel(Connection c, TaskId id, Instant now) throws SQLException {
    long at = now.toEpochMilli();
    return act(
        c,
        id,
        TaskEventType.TASK_CANCELLED,
        now,
        cancel,
        s -> {
          s.setLong(1, at);
          s.setLong(2, at);
          s.setLong(3, at);
          s.setString(4, id.value());
        });
  }

  /** Re-queues a failed or cancelled task with a fresh retry budget. */
  public ActionResult retry(TaskId id, Instant now) {
    return database.write("retry task", c -> retry(c, id, now));
  }

  /** {@link #retry(TaskId, Instant)} within the transaction of {@code c}. */
  ActionResult retry(Connection c, TaskId id, Instant now) throws SQLException {
    return act(
        c,
        id,
        null,
        now,
        """
        UPDATE tasks SET status = 'queued', due_at = ?, finished_at = NULL, purge_at = NULL,
          max_attempts = attempts + retries + 1, webhook_status = NULL, webhook_due_at = NULL,
          webhook_attempts = 0, webhook_last_error = NULL
        WHERE id = ? AND status IN ('failed', 'cancelled')""",
        s -> {
          s.setLong(1, now.toEpochMilli());
          s.setString(2, id.value());
        });
  }

  /**
   * Sets the progress of an active task, recording a {@code task.progress} event at {@code now}.
   */
  public ActionResult updateProgress(TaskId id, String progressJson, Instant now) {
    return act(
        "update progress",
        id,
        TaskEventType.TASK_PROGRESS,
        now,
        "UPDATE tasks SET progress = ? WHERE id = ? AND status IN " + ACTIVE,
        s -> {
          s.setString(1, progressJson);
          s.setString(2, id.value());
        });
  }

  /**
   * Deletes a finished task with its attempts, events and idempotency key; {@code WrongState}
   * (nothing deleted) when the task is not finished.
   */
  public ActionResult delete(TaskId id) {
    return database.write("delete task", c -> TaskDeletes.deleteFinished(c, id));
  }

  /**
   * Records {@code callbackJson} as posted to the callback URL of call number {@code call}: taken
   * while that call is pending or running (an early answer to the await it is about to ask for), or
   * while the task waits after it; a waiting task goes back to the queue. Taken once per call:
   * {@code WrongState} when it was spent, belongs to an older call, or the task finished.
   */
  public ActionResult postCallback(TaskId id, int call, String callbackJson, Instant now) {
    return act(
        "post callback",
        id,
        null,
        now,
        """
        UPDATE tasks SET callback = ?, callback_step = ?,
          status = CASE WHEN status = 'waiting' THEN 'queued' ELSE status END,
          due_at = CASE WHEN status = 'waiting' THEN ? ELSE due_at END
        WHERE id = ? AND (callback_step IS NULL OR callback_step <> ?)
          AND ((continuations = ? AND status IN ('scheduled', 'queued', 'retrying', 'running'))
            OR (continuations = ? AND status = 'waiting'))""",
        s -> {
          s.setString(1, callbackJson);
          s.setInt(2, call);
          s.setLong(3, now.toEpochMilli());
          s.setString(4, id.value());
          s.setInt(5, call);
          s.setInt(6, call);
          s.setInt(7, call + 1);
        });
  }

  @FunctionalInterface
  private interface Binder {
    void bind(PreparedStatement statement) throws SQLException;
  }

  /**
   * Runs {@code sql} on one task in its own transaction; when it changed the task, records {@code
   * event} (if any) with it.
   */
  private ActionResult act(
      String what, TaskId id, TaskEventType event, Instant now, String sql, Binder binder) {
    return database.write(what, c -> act(c, id, event, now, sql, binder));
  }

  private static ActionResult act(
      Connection c, TaskId id, TaskEventType event, Instant now, String sql, Binder binder)
      throws SQLException {
    int changed;
    try (PreparedStatement s = c.prepareStatement(sql)) {
      binder.bind(s);
      changed = s.executeUpdate();
    }
    if (changed == 1 && event != null) EventRows.record(c, id, event, now);
    return result(c, id, changed);
  }

  /** The task as an action left it: done when the action's one update {@code changed} it. */
  static ActionResult result(Connection c, TaskId id, int changed) throws SQLException {
    Optional<Task> task = TaskRows.find(c, id);
    if (task.isEmpty()) return new ActionResult.NotFound();
    return changed == 1
        ? new ActionResult.Done(task.get())
        : new ActionResult.WrongState(task.get());
  }
}
