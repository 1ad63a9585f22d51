package dev.offload.store;

import dev.offload.task.ActionResult;
import dev.offload.task.LeaseRenewal;
import dev.offload.task.PullClaim;
import dev.offload.task.Task;
import dev.offload.task.TaskId;
import java.sql.PreparedStatement;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Pull tasks (tasks with a {@code name} and no callback URL), leased to workers over HTTP: leased,
 * renewed (many in one transaction, so a worker running many tasks sends one heartbeat) and handed
 * back. A worker lease lives in the same columns as a node's lease ({@code lease_owner} holds the
 * task's own lease token), so the reaper retries an expired worker lease like a dead node's, while
 * node-wide renewals and releases, which match a node id, never touch it. Each renewal or release
 * holds only while the task runs under the given lease token and its attempt is within its timeout.
 */
public final class PullLeases {
  private static final String HELD =
      """
      WHERE id = ? AND status = 'running' AND lease_owner = ? AND name IS NOT NULL
        AND (timeout_ms IS NULL OR attempt_started_at + timeout_ms > ?)""";

  /** The lease end of an attempt: {@code now + leaseFor}, but never past the attempt's timeout. */
  private static final String CAPPED_EXPIRY =
      "CASE WHEN timeout_ms IS NOT NULL AND attempt_started_at + timeout_ms < ? THEN attempt_started_at + timeout_ms ELSE ? END";

  private final Database database;
  private final QueueClaims claims;

  PullLeases(Database database, QueueClaims claims) {
    this.database = database;
    this.claims = claims;
  }

  /**
   * Leases ready pull tasks to a worker, in the order of {@link PushClaims#claimDue}, within the
   * limits of their queues and concurrency keys; each returned task is {@code running} with its
   * attempt count raised and its own lease token in {@code leaseOwner}.
   */
  public List<Task> leasePullTasks(PullClaim claim) {
    StringBuilder names = new StringBuilder();
    if (!claim.names().isEmpty())
      names
          .append(" AND name IN (")
          .append(ClaimSql.placeholders(claim.names().size()))
          .append(')');
    ClaimSql.Kind kind =
        new ClaimSql.Kind(
            ClaimSql.PULL.index(), ClaimSql.PULL.indexed(), names.toString(), claim.names());
    long now = claim.now().toEpochMilli();
    long leaseMs = claim.leaseFor().toMillis();
    // attempt_started_at is assigned in the same SET, so the cap reads the old value: compare with
    // now instead.
    ClaimSql.Lease lease =
        new ClaimSql.Lease(
            """
        status = 'running', due_at = NULL, attempts = attempts + 1, started_at = COALESCE(started_at, ?),
        attempt_started_at = ?, lease_owner = ? || id,
        lease_expires_at = CASE WHEN timeout_ms IS NOT NULL AND timeout_ms < ? THEN ? + timeout_ms ELSE ? END""",
            (s, i) -> {
              s.setLong(i++, now);
              s.setLong(i++, now);
              s.setString(i++, claim.tokenPrefix());
              s.setLong(i++, leaseMs);
              s.setLong(i++, now);
              s.setLong(i++, now + leaseMs);
              return i;
            });
    return claims.claim(kind, claim.queues(), claim.now(), claim.max(), lease);
  }

  /**
   * When the next pull task can be leased, if any is waiting; queue limits count as in {@link
   * PushClaims#nextDueAt}.
   */
  public Optional<Instant> nextPullDueAt(Instant now) {
    return claims.nextClaimableAt(ClaimSql.PULL, List.of(), now);
  }

  /**
   * Extends worker leases to {@code now + leaseFor} (never past the attempt's timeout) and stores
   * each renewal's progress unless it is null, in one transaction; one result per renewal, in
   * order: {@code WrongState} when the task is not running under that lease token or its attempt
   * ran out of time.
   */
  public List<ActionResult> renewPullLeases(
      List<LeaseRenewal> renewals, Instant now, Duration leaseFor) {
    String sql =
        "UPDATE tasks SET lease_expires_at = "
            + CAPPED_EXPIRY
            + ", progress = COALESCE(?, progress) "
            + HELD;
    long until = now.plus(leaseFor).toEpochMilli();
    return database.write(
        "renew worker leases",
        c -> {
          List<ActionResult> results = new ArrayList<>(renewals.size());
          try (PreparedStatement s = c.prepareStatement(sql)) {
            for (LeaseRenewal renewal : renewals) {
              s.setLong(1, until);
              s.setLong(2, until);
              if (renewal.progressJson() == null) s.setNull(3, Types.VARCHAR);
              else s.setString(3, renewal.progressJson());
              s.setString(4, renewal.id().value());
              s.setString(5, renewal.leaseToken());
              s.setLong(6, now.toEpochMilli());
              results.add(TaskActions.result(c, renewal.id(), s.executeUpdate()));
            }
          }
          return results;
        });
  }

  /**
   * Puts a task a worker holds under {@code leaseToken} back to {@code queued}, due at {@code now},
   * without counting the attempt against its retries: the worker gave it up (it is stopping), it
   * did not fail. {@code WrongState} when the task is not running under that token or its attempt
   * ran out of time.
   */
  public ActionResult releasePullLease(TaskId id, String leaseToken, Instant now) {
    return database.write(
        "release worker lease",
        c -> {
          int changed;
          try (PreparedStatement s =
              c.prepareStatement(
                  """
          UPDATE tasks SET status = 'queued', due_at = ?, attempts = attempts - 1,
            lease_owner = NULL, lease_expires_at = NULL, attempt_started_at = NULL
          """
                      + HELD)) {
            s.setLong(1, now.toEpochMilli());
            s.setString(2, id.value());
            s.setString(3, leaseToken);
            s.setLong(4, now.toEpochMilli());
            changed = s.executeUpdate();
          }
          return TaskActions.result(c, id, changed);
        });
  }
}
