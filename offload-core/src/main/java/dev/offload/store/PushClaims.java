package dev.offload.store;

import dev.offload.task.Task;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The SQL of push tasks (tasks with a callback URL), claimed by a node that calls them itself and
 * holds their leases under its node id (see {@link NodeLeases}).
 */
final class PushClaims {
  private static final ClaimSql.Kind PUSH = new ClaimSql.Kind("callback_url IS NOT NULL", List.of());

  private final Database database;
  private final FlowControl flow;

  PushClaims(Database database, FlowControl flow) {
    this.database = database;
    this.flow = flow;
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
    String sql = ClaimSql.update(leased, """
        SELECT id AS claimed_id FROM tasks WHERE due_at <= ? AND callback_url IS NOT NULL AND %s
        ORDER BY due_at LIMIT ?%s""".formatted(ClaimSql.UNLIMITED, database.dialect().skipLockedClause()));
    return ClaimSql.claimBothPaths(max, room -> database.write("claim due tasks", c -> {
      ClaimSql.preamble(c, database.dialect());
      try (PreparedStatement s = c.prepareStatement(sql)) {
        int i = leased.binder().bind(s, 1);
        s.setLong(i++, now.toEpochMilli());
        s.setInt(i, room);
        List<Task> claimed = TaskRows.list(s);
        EventRows.attemptsStarted(c, claimed, now);
        return claimed;
      }
    }), room -> flow.claim(flow.queues(), PUSH, now, room, leased));
  }

  Optional<Instant> nextDueAt(Instant now) {
    Optional<Instant> fast = database.read("find next due time", c -> TaskRows.earliest(c, "SELECT due_at FROM tasks"
        + " WHERE due_at IS NOT NULL AND callback_url IS NOT NULL AND " + ClaimSql.UNLIMITED + " ORDER BY due_at LIMIT 1"));
    return ClaimSql.earlier(fast, flow.nextClaimableAt(flow.queues(), PUSH, now));
  }
}
