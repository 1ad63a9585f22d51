package dev.offload.store;

import dev.offload.task.Task;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The SQL of push tasks (tasks with a callback URL), claimed by a node that calls them itself and
 * holds their leases under its node id (see {@link NodeLeases}).
 */
final class PushClaims {
  private final QueueClaims claims;

  PushClaims(QueueClaims claims) {
    this.claims = claims;
  }

  List<Task> claim(String node, Instant now, int max, Duration lease) {
    ClaimSql.Lease leased = new ClaimSql.Lease("""
        status = 'running', due_at = NULL, attempts = attempts + 1, started_at = COALESCE(started_at, ?),
        attempt_started_at = ?, lease_owner = ?, lease_expires_at = ?""", (s, i) -> {
          s.setLong(i++, now.toEpochMilli());
          s.setLong(i++, now.toEpochMilli());
          s.setString(i++, node);
          s.setLong(i++, now.plus(lease).toEpochMilli());
          return i;
        });
    return claims.claim(ClaimSql.PUSH, List.of(), now, max, leased);
  }

  Optional<Instant> nextDueAt(Instant now) {
    return claims.nextClaimableAt(ClaimSql.PUSH, List.of(), now);
  }
}
