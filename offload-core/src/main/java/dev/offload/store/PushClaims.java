package dev.offload.store;

import dev.offload.task.Task;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Push tasks (tasks with a callback URL), claimed by a node that calls them itself and holds their
 * leases under its node id ({@code lease_owner}): renewed all at once while the node lives,
 * released when it stops, found expired when it died.
 */
public final class PushClaims {
  private final Database database;
  private final QueueClaims claims;

  PushClaims(Database database, QueueClaims claims) {
    this.database = database;
    this.claims = claims;
  }

  /**
   * Leases up to {@code max} ready push tasks to {@code node} until {@code now + lease}, within the
   * limits of their queues and concurrency keys; first promotes the tasks due at {@code now} to
   * {@code queued}. Queues take turns; within a queue, tasks go in order of due time less their
   * priority's head start. Each returned task is {@code running} with its attempt count already
   * raised to the number of the attempt it is leased for.
   */
  public List<Task> claimDue(String node, Instant now, int max, Duration lease) {
    ClaimSql.Lease leased =
        new ClaimSql.Lease(
            """
        status = 'running', due_at = NULL, attempts = attempts + 1, started_at = COALESCE(started_at, ?),
        attempt_started_at = ?, lease_owner = ?, lease_expires_at = ?""",
            (s, i) -> {
              s.setLong(i++, now.toEpochMilli());
              s.setLong(i++, now.toEpochMilli());
              s.setString(i++, node);
              s.setLong(i++, now.plus(lease).toEpochMilli());
              return i;
            });
    return claims.claim(ClaimSql.PUSH, List.of(), now, max, leased);
  }

  /**
   * When the next push task can be claimed or any waiting task becomes due (to be promoted), if any
   * is waiting; tasks that queue limits hold back count from when they may start, or not at all
   * while only a finished task or a settings change can free them.
   */
  public Optional<Instant> nextDueAt(Instant now) {
    return claims.nextClaimableAt(ClaimSql.PUSH, List.of(), now);
  }

  /** Extends every lease {@code node} holds to {@code until}; one statement. */
  public int renewLeases(String node, Instant until) {
    return updateHeld("renew leases", "lease_expires_at = ?", node, until);
  }

  /**
   * Puts every task {@code node} is running back to {@code queued} at once, without counting the
   * interrupted attempt against its retries (a graceful stop, not a failure).
   */
  public int releaseLeases(String node, Instant now) {
    return updateHeld(
        "release leases",
        """
        status = 'queued', due_at = ?, attempts = attempts - 1,
          lease_owner = NULL, lease_expires_at = NULL, attempt_started_at = NULL""",
        node,
        now);
  }

  /**
   * Sets {@code set} (whose one parameter is {@code at}) on every task {@code node} is running, in
   * one statement. Rows are locked in id order, like every multi-row write, so concurrent writers
   * never deadlock.
   */
  private int updateHeld(String what, String set, String node, Instant at) {
    return database.write(
        what,
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  """
          UPDATE tasks SET %s
          WHERE id IN (SELECT id FROM tasks WHERE lease_owner = ? AND status = 'running' ORDER BY id%s)"""
                      .formatted(set, database.dialect().lockClause()))) {
            s.setLong(1, at.toEpochMilli());
            s.setString(2, node);
            return s.executeUpdate();
          }
        });
  }

  /**
   * Running tasks whose lease expired before {@code before}, up to {@code max}: a dead node's, and
   * also a worker's (a pull task's lease lives in the same columns), for the one reaper to retry.
   */
  public List<Task> expiredLeases(Instant before, int max) {
    return database.read(
        "find expired leases",
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "SELECT "
                      + TaskRows.COLUMNS
                      + " FROM tasks WHERE status = 'running' AND lease_expires_at < ? ORDER BY lease_expires_at LIMIT ?")) {
            s.setLong(1, before.toEpochMilli());
            s.setInt(2, max);
            return TaskRows.list(s);
          }
        });
  }
}
