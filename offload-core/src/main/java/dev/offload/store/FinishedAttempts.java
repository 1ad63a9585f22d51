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
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@link Completion}: the attempt rows, the task transitions and their events, in one transaction.
 */
final class FinishedAttempts implements Completion {
  /**
   * The ended attempts' transitions, one statement for the whole batch (rows as in {@link
   * #ENDED_ROW}): on PostgreSQL a statement fires the count trigger once, however many rows it
   * changes, where one statement per task fired it per task (0.7 ms each). {@code %1$s}: the rows,
   * {@code %2$s}: the purge time expression, {@code %3$s}: the index hint of the primary key
   * (SQLite's planner would rather walk every running task of {@code tasks_by_status} and scan the
   * rows for each: 2 s for 500 rows with 10,000 running).
   */
  private static final String UPDATE =
      """
      UPDATE tasks%3$s SET status = v.status, due_at = v.due_at, finished_at = v.finished_at,
        result_status = v.result_status, result_content_type = v.result_content_type,
        result_body = v.result_body, result_json = v.result_json, result_truncated = v.result_truncated,
        last_error = v.last_error, purge_at = %2$s, lease_owner = NULL, lease_expires_at = NULL,
        webhook_status = CASE WHEN v.finished_at IS NOT NULL AND webhook_url IS NOT NULL THEN 'pending' ELSE webhook_status END,
        webhook_due_at = CASE WHEN v.finished_at IS NOT NULL AND webhook_url IS NOT NULL THEN v.finished_at ELSE webhook_due_at END
      FROM (SELECT column1 AS id, column2 AS attempts, column3 AS lease_owner, column4 AS lease_before,
          column5 AS status, column6 AS due_at, column7 AS finished_at, column8 AS result_status,
          column9 AS result_content_type, column10 AS result_body, column11 AS result_json,
          column12 AS result_truncated, column13 AS last_error
        FROM (VALUES %1$s) AS ended_rows) AS v
      WHERE tasks.id = v.id AND tasks.status = 'running' AND tasks.attempts = v.attempts
        AND tasks.lease_owner = v.lease_owner AND tasks.lease_expires_at < v.lease_before
      RETURNING tasks.id, tasks.attempts""";

  /** The parameters of one row of {@link #UPDATE}. */
  private static final String ENDED_ROW = "(" + ClaimSql.placeholders(13) + ")";

  /** The index of {@code tasks}' primary key on SQLite, which names it after the table. */
  private static final String PRIMARY_KEY = "sqlite_autoindex_tasks_1";

  /** Rows a statement of {@link #UPDATE} carries at most, well inside both stores' limits. */
  private static final int ENDED_PER_STATEMENT = 500;

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
        PreparedStatement continued = c.prepareStatement(CONTINUE);
        EventRows.FromTask events = new EventRows.FromTask(c)) {
      List<FinishedAttempt> ended = new ArrayList<>();
      List<FinishedAttempt> continuing = new ArrayList<>();
      for (FinishedAttempt finished : attempts) {
        bindAttempt(insert, finished.attempt());
        insert.addBatch();
        if (finished.transition().next() == null) {
          ended.add(finished);
        } else {
          bindContinuation(continued, finished);
          continued.addBatch();
          continuing.add(finished);
        }
      }
      insert.executeBatch();
      Set<String> endedApplied = end(c, ended);
      int[] continuingCounts = continuing.isEmpty() ? new int[0] : continued.executeBatch();
      List<TaskId> applied = new ArrayList<>();
      for (FinishedAttempt finished : ended) {
        Attempt a = finished.attempt();
        if (!endedApplied.contains(appliedKey(a.taskId().value(), a.number()))) continue;
        TaskStatus status = finished.transition().status();
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

  /**
   * Applies the transitions of {@code ended} (in id order), a statement per {@link
   * #ENDED_PER_STATEMENT}; returns the {@link #appliedKey}s of the attempts applied. Where rows are
   * locked explicitly, they are locked first, in id order: the join of one statement takes them in
   * whatever order its plan reads them.
   */
  private Set<String> end(Connection c, List<FinishedAttempt> ended) throws SQLException {
    Set<String> applied = new HashSet<>();
    String lock = database.dialect().lockClause();
    for (int from = 0; from < ended.size(); from += ENDED_PER_STATEMENT) {
      List<FinishedAttempt> part =
          ended.subList(from, Math.min(ended.size(), from + ENDED_PER_STATEMENT));
      if (!lock.isEmpty()) lockInIdOrder(c, part, lock);
      try (PreparedStatement s =
          c.prepareStatement(endSql(database.dialect(), purge, part.size()))) {
        int i = 1;
        for (FinishedAttempt finished : part) i = bindEnded(s, i, finished);
        try (ResultSet row = s.executeQuery()) {
          while (row.next()) applied.add(appliedKey(row.getString(1), row.getInt(2)));
        }
      }
    }
    return applied;
  }

  /** The statement that ends {@code rows} attempts. */
  static String endSql(Dialect dialect, PurgeTimes purge, int rows) {
    return UPDATE.formatted(
        String.join(", ", Collections.nCopies(rows, ENDED_ROW)),
        purge.expression("v.finished_at", "v.status = 'succeeded'"),
        dialect.indexHint(PRIMARY_KEY));
  }

  private static void lockInIdOrder(Connection c, List<FinishedAttempt> part, String lock)
      throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT id FROM tasks WHERE id IN (%s) ORDER BY id%s"
                .formatted(ClaimSql.placeholders(part.size()), lock))) {
      int i = 1;
      for (FinishedAttempt finished : part) s.setString(i++, finished.attempt().taskId().value());
      s.executeQuery().close();
    }
  }

  private static String appliedKey(String taskId, int attempt) {
    return taskId + '#' + attempt;
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

  /** Binds one row of {@link #UPDATE} from {@code index} on; returns the next free index. */
  private static int bindEnded(PreparedStatement s, int index, FinishedAttempt finished)
      throws SQLException {
    Transition t = finished.transition();
    Attempt a = finished.attempt();
    boolean terminal = t.status().isTerminal();
    TaskResult r = t.result();
    int i = index;
    s.setString(i++, a.taskId().value());
    s.setInt(i++, a.number());
    s.setString(i++, finished.leaseOwner());
    s.setLong(i++, leaseExpiredBefore(finished));
    s.setString(i++, t.status().wire());
    setMillis(s, i++, t.dueAt());
    setMillis(s, i++, terminal ? a.finishedAt() : null);
    setInteger(s, i++, r == null ? null : r.statusCode());
    s.setString(i++, r == null ? null : r.contentType());
    s.setString(i++, r == null ? null : r.body());
    setInteger(s, i++, r == null ? null : r.json() ? 1 : 0);
    setInteger(s, i++, r == null ? null : r.truncated() ? 1 : 0);
    s.setString(i++, t.lastError());
    return i;
  }
}
