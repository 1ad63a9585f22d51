package dev.offload.store;

import dev.offload.task.PullClaim;
import dev.offload.task.Task;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The SQL of pull tasks (tasks with a {@code name} and no callback URL), leased to workers over
 * HTTP. A worker lease lives in the same columns as a node's lease ({@code lease_owner} holds the
 * task's own lease token), so the reaper retries an expired worker lease like a dead node's, while
 * node-wide renewals and releases, which match a node id, never touch it.
 */
final class PullLeases {

  private final Database database;
  private final QueueClaims claims;

  PullLeases(Database database, QueueClaims claims) {
    this.database = database;
    this.claims = claims;
  }

  List<Task> lease(PullClaim claim) {
    StringBuilder names = new StringBuilder();
    if (!claim.names().isEmpty()) names.append(" AND name IN (").append(ClaimSql.placeholders(claim.names().size())).append(')');
    ClaimSql.Kind kind = new ClaimSql.Kind(ClaimSql.PULL.index(), ClaimSql.PULL.indexed(), names.toString(), claim.names());
    long now = claim.now().toEpochMilli();
    long leaseMs = claim.leaseFor().toMillis();
    // attempt_started_at is assigned in the same SET, so the cap reads the old value: compare with now instead.
    ClaimSql.Lease lease = new ClaimSql.Lease("""
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

  Optional<Instant> nextDueAt(Instant now) {
    return claims.nextClaimableAt(ClaimSql.PULL, List.of(), now);
  }
}
