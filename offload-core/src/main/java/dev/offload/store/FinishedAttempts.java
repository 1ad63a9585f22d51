package dev.offload.store;

import static dev.offload.store.TaskRows.setInteger;
import static dev.offload.store.TaskRows.setMillis;

import dev.offload.task.Attempt;
import dev.offload.task.FinishedAttempt;
import dev.offload.task.TaskEventType;
import dev.offload.task.TaskId;
import dev.offload.task.TaskResult;
import dev.offload.task.TaskStatus;
import dev.offload.task.Transition;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * {@link Completion}: the attempt rows, the task transitions and their events, in one transaction.
 */
final class FinishedAttempts implements Completion {
  private static final String UPDATE =
      """
      UPDATE tasks SET status = ?, due_at = ?, finished_at = ?, result_status = ?,
        result_content_type = ?, result_body = ?, result_json = ?, result_truncated = ?,
        last_error = ?, purge_at = %s, lease_owner = NULL, lease_expires_at = NULL,
        webhook_status = CASE WHEN ? = 1 AND webhook_url IS NOT NULL THEN 'pending' ELSE webhook_status END,
        webhook_due_at = CASE WHEN ? = 1 AND webhook_url IS NOT NULL THEN ? ELSE webhook_due_at END
      WHERE id = ? AND status = 'running' AND attempts = ? AND lease_owner = ? AND lease_expires_at < ?""";

  /**
   * A continued task: the state for its next call and a fresh retry budget. An await whose callback
   * was posted while the call ran goes straight back to the queue rather than waiting.
   */
  private static final String CONTINUE =
      """
      UPDATE tasks SET
        status = CASE WHEN ? = 1 AND callback_step = continuations THEN 'queued' ELSE ? END,
        due_at = CASE WHEN ? = 1 AND callback_step = continuations THEN ? ELSE ? END,
        state = ?, awaiting = ?, continuations = continuations + 1, max_attempts = attempts + retries + 1,
        last_error = NULL, lease_owner = NULL, lease_expires_at = NULL
      WHERE id = ? AND status = 'running' AND attempts = ? AND lease_owner = ? AND lease_expires_at < ?""";

  /**
   * The attempt with its task's queue and timeout, which the duration percentiles read by queue.
   */
  private static final String INSERT =
      "INSERT INTO attempts ("
          + TaskRows.ATTEMPT_COLUMNS
          + ", queue, timeout_ms)"
          + " SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, queue, timeout_ms FROM tasks WHERE id = ?"
          + " ON CONFLICT (task_id, number) DO NOTHING";

  private final Database database;
  private final PurgeTimes purge;

  FinishedAttempts(Database database, PurgeTimes purge) {
    this.database = database;
    this.purge = purge;
  }

  /** Applies each transition only where the task still runs that attempt under that lease. */
  @Override
  public List<TaskId> finish(List<FinishedAttempt> attempts) {
    if (attempts.isEmpty()) return List.of();
    return database.write("finish attempts", c -> record(c, attempts));
  }

  private List<TaskId> record(Connection c, List<FinishedAttempt> unordered) throws SQLException {
    // Rows are locked in id order by every multi-row write, so concurrent writers never deadlock.
    List<FinishedAttempt> attempts =
        unordered.stream()
            .sorted(Comparator.comparing((FinishedAttempt a) -> a.attempt().taskId()))
            .toList();
    try (PreparedStatement insert = c.prepareStatement(INSERT);
        PreparedStatement s =
            c.prepareStatement(UPDATE.formatted(purge.expression("?", "? = 'succeeded'")));
        PreparedStatement continued = c.prepareStatement(CONTINUE);
        EventRows.FromTask events = new EventRows.FromTask(c)) {
      List<FinishedAttempt> ended = new ArrayList<>();
      List<FinishedAttempt> continuing = new ArrayList<>();
      for (FinishedAttempt finished : attempts) {
        bindAttempt(insert, finished.attempt());
        insert.addBatch();
        if (finished.transition().next() == null) {
          bindTransition(s, finished);
          s.addBatch();
          ended.add(finished);
        } else {
          bindContinuation(continued, finished);
          continued.addBatch();
          continuing.add(finished);
        }
      }
      insert.executeBatch();
      int[] endedCounts = ended.isEmpty() ? new int[0] : s.executeBatch();
      int[] continuingCounts = continuing.isEmpty() ? new int[0] : continued.executeBatch();
      List<TaskId> applied = new ArrayList<>();
      for (int i = 0; i < endedCounts.length; i++) {
        if (endedCounts[i] == 0) continue;
        Attempt a = ended.get(i).attempt();
        TaskStatus status = ended.get(i).transition().status();
        applied.add(a.taskId());
        events.add(a.taskId(), TaskEventType.ATTEMPT_FINISHED, a.outcome(), a.finishedAt());
        if (status.isTerminal())
          events.add(a.taskId(), TaskEventType.terminal(status), null, a.finishedAt());
      }
      for (int i = 0; i < continuingCounts.length; i++) {
        if (continuingCounts[i] == 0) continue;
        Attempt a = continuing.get(i).attempt();
        applied.add(a.taskId());
        events.add(a.taskId(), TaskEventType.ATTEMPT_FINISHED, a.outcome(), a.finishedAt());
        boolean awaiting = continuing.get(i).transition().next().awaiting();
        events.add(
            a.taskId(),
            awaiting ? TaskEventType.TASK_WAITING : TaskEventType.TASK_CONTINUED,
            null,
            a.finishedAt());
      }
      if (!applied.isEmpty()) events.execute();
      return applied;
    }
  }

  private static void bindAttempt(PreparedStatement s, Attempt a) throws SQLException {
    s.setString(1, a.taskId().value());
    s.setInt(2, a.number());
    s.setLong(3, a.startedAt().toEpochMilli());
    s.setLong(4, a.finishedAt().toEpochMilli());
    s.setString(5, a.outcome().wire());
    setInteger(s, 6, a.statusCode());
    s.setString(7, a.error());
    s.setString(8, a.responseExcerpt());
    s.setString(9, a.node());
    s.setString(10, a.taskId().value());
  }

  private static void bindContinuation(PreparedStatement s, FinishedAttempt finished)
      throws SQLException {
    Transition t = finished.transition();
    Attempt a = finished.attempt();
    int awaiting = t.next().awaiting() ? 1 : 0;
    s.setInt(1, awaiting);
    s.setString(2, t.status().wire());
    s.setInt(3, awaiting);
    s.setLong(4, a.finishedAt().toEpochMilli());
    setMillis(s, 5, t.dueAt());
    s.setString(6, t.next().state());
    s.setInt(7, awaiting);
    s.setString(8, a.taskId().value());
    s.setInt(9, a.number());
    s.setString(10, finished.leaseOwner());
    s.setLong(11, leaseExpiredBefore(finished));
  }

  private static long leaseExpiredBefore(FinishedAttempt finished) {
    return finished.leaseExpiredBefore() == null
        ? Long.MAX_VALUE
        : finished.leaseExpiredBefore().toEpochMilli();
  }

  private static void bindTransition(PreparedStatement s, FinishedAttempt finished)
      throws SQLException {
    Transition t = finished.transition();
    Attempt a = finished.attempt();
    boolean terminal = t.status().isTerminal();
    TaskResult r = t.result();
    s.setString(1, t.status().wire());
    setMillis(s, 2, t.dueAt());
    setMillis(s, 3, terminal ? a.finishedAt() : null);
    setInteger(s, 4, r == null ? null : r.statusCode());
    s.setString(5, r == null ? null : r.contentType());
    s.setString(6, r == null ? null : r.body());
    setInteger(s, 7, r == null ? null : r.json() ? 1 : 0);
    setInteger(s, 8, r == null ? null : r.truncated() ? 1 : 0);
    s.setString(9, t.lastError());
    setMillis(s, 10, terminal ? a.finishedAt() : null);
    s.setString(11, t.status().wire());
    s.setString(12, t.status().wire());
    s.setInt(13, terminal ? 1 : 0);
    s.setInt(14, terminal ? 1 : 0);
    s.setLong(15, a.finishedAt().toEpochMilli());
    s.setString(16, a.taskId().value());
    s.setInt(17, a.number());
    s.setString(18, finished.leaseOwner());
    s.setLong(19, leaseExpiredBefore(finished));
  }
}
