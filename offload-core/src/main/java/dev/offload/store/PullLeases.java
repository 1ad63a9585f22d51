package dev.offload.store;

import dev.offload.task.Task;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The SQL of pull tasks (tasks with a {@code name} and no callback URL), leased to workers over
 * HTTP. A worker lease lives in the same columns as a node's lease ({@code lease_owner} holds the
 * task's own lease token), so the reaper retries an expired worker lease like a dead node's, while
 * node-wide renewals and releases, which match a node id, never touch it.
 */
final class PullLeases {
  private static final ClaimSql.Kind PULL = new ClaimSql.Kind("name IS NOT NULL", List.of());

  private final Database database;
  private final FlowControl flow;

  PullLeases(Database database, FlowControl flow) {
    this.database = database;
    this.flow = flow;
  }

  List<Task> lease(PullClaim claim) {
    StringBuilder filter = new StringBuilder("name IS NOT NULL");
    List<String> args = new ArrayList<>(claim.queues());
    args.addAll(claim.names());
    inList(filter, "queue", claim.queues().size());
    inList(filter, "name", claim.names().size());
    ClaimSql.Kind kind = new ClaimSql.Kind(filter.toString(), args);
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
    String sql = ClaimSql.update(lease, "SELECT id AS claimed_id FROM tasks WHERE due_at <= ? AND %s AND %s ORDER BY due_at LIMIT ?%s"
        .formatted(kind.filter(), ClaimSql.UNLIMITED, database.dialect().skipLockedClause()));
    Set<String> limited = new TreeSet<>(flow.queues());
    if (!claim.queues().isEmpty()) limited.retainAll(claim.queues());
    return ClaimSql.claimBothPaths(claim.max(), room -> database.write("lease pull tasks", c -> {
      ClaimSql.preamble(c, database.dialect());
      try (PreparedStatement s = c.prepareStatement(sql)) {
        int i = lease.binder().bind(s, 1);
        s.setLong(i++, now);
        i = kind.bind(s, i);
        s.setInt(i, room);
        List<Task> leased = TaskRows.list(s);
        EventRows.attemptsStarted(c, leased, claim.now());
        return leased;
      }
    }), room -> flow.claim(limited, kind, claim.now(), room, lease));
  }

  private static void inList(StringBuilder filter, String column, int size) {
    if (size == 0) return;
    filter.append(" AND ").append(column).append(" IN (").append(ClaimSql.placeholders(size)).append(')');
  }

  Optional<Instant> nextDueAt(Instant now) {
    Optional<Instant> fast = database.read("find next due pull task", c -> TaskRows.earliest(c,
        "SELECT due_at FROM tasks WHERE due_at IS NOT NULL AND name IS NOT NULL AND " + ClaimSql.UNLIMITED
            + " ORDER BY due_at LIMIT 1"));
    return ClaimSql.earlier(fast, flow.nextClaimableAt(flow.queues(), PULL, now));
  }
}
