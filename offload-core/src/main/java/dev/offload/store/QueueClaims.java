package dev.offload.store;

import dev.offload.task.Task;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Claims queue by queue. A claim first promotes due tasks ({@link DuePromotion}) and lists the
 * queues that hold ready tasks of its kind: a loose scan of the kind's partial index, one probe per
 * queue, however many tasks wait. Then it claims from each queue in turn, starting one queue
 * further each time, so no queue starves another; each queue's claim reads the first rows of
 * its own part of the index in {@link ClaimSql#READY_ORDER}, so a backlog in one queue (paused,
 * limited or just long) costs the others nothing.
 *
 * <p>A queue without a {@code queues} row has no settings and no keyed tasks: its claim is one
 * statement, which re-checks that the queue still has no row (one lookup, not one per task), so a
 * queue paused a moment ago is never claimed here. A queue with a row goes through
 * {@link FlowControl}, which locks the row and applies its limits.
 */
final class QueueClaims {
  private final Database database;
  private final FlowControl flow;
  private final DuePromotion promotion;
  private final AtomicInteger turn = new AtomicInteger();

  QueueClaims(Database database, FlowControl flow) {
    this.database = database;
    this.flow = flow;
    this.promotion = new DuePromotion(database);
  }

  /**
   * Claims up to {@code max} ready tasks of {@code kind} from {@code onlyQueues} (empty: every
   * queue), setting {@code lease} on them.
   */
  List<Task> claim(ClaimSql.Kind kind, List<String> onlyQueues, Instant now, int max, ClaimSql.Lease lease) {
    Map<String, Boolean> queues = database.write("find ready queues", c -> {
      ClaimSql.preamble(c, database.dialect());
      promotion.promote(c, now);
      return readyQueues(c, kind, onlyQueues);
    });
    List<String> order = List.copyOf(queues.keySet());
    List<Task> claimed = new ArrayList<>();
    int start = order.isEmpty() ? 0 : Math.floorMod(turn.getAndIncrement(), order.size());
    for (int i = 0; i < order.size() && claimed.size() < max; i++) {
      String queue = order.get((start + i) % order.size());
      int want = max - claimed.size();
      claimed.addAll(queues.get(queue)
          ? flow.claim(queue, kind, now, want, lease)
          : database.write("claim from queue " + queue, c -> claimUnlimited(c, queue, kind, now, want, lease)));
    }
    return claimed;
  }

  private List<Task> claimUnlimited(Connection c, String queue, ClaimSql.Kind kind, Instant now, int max,
      ClaimSql.Lease lease) throws SQLException {
    ClaimSql.preamble(c, database.dialect());
    try (PreparedStatement s = c.prepareStatement(ClaimSql.update(lease, unlimitedSelect(kind, database.dialect())))) {
      int i = lease.binder().bind(s, 1);
      s.setString(i++, queue);
      i = kind.bind(s, i);
      s.setString(i++, queue);
      s.setInt(i, max);
      List<Task> claimed = TaskRows.list(s);
      EventRows.attemptsStarted(c, claimed, now);
      return claimed;
    }
  }

  /** Picks the tasks to claim from a queue without a row: parameters queue, the kind's, queue, limit. */
  static String unlimitedSelect(ClaimSql.Kind kind, Dialect dialect) {
    return """
        SELECT id AS claimed_id FROM tasks
        WHERE queue = ? AND status = 'queued' AND %s AND NOT EXISTS (SELECT 1 FROM queues WHERE name = ?)
        ORDER BY %s LIMIT ?%s""".formatted(kind.filter(), ClaimSql.READY_ORDER, dialect.skipLockedClause());
  }

  /**
   * When the next task of {@code kind} in {@code onlyQueues} (empty: every queue) can be claimed
   * or a waiting task of any kind becomes due (and must be promoted), if either happens without a
   * finished task or a settings change; queue limits count as in {@link FlowControl#nextClaimableAt}.
   */
  Optional<Instant> nextClaimableAt(ClaimSql.Kind kind, List<String> onlyQueues, Instant now) {
    Optional<Instant> ready = database.read("find next claimable time", c -> {
      Instant earliest = null;
      for (Map.Entry<String, Boolean> queue : readyQueues(c, kind, onlyQueues).entrySet()) {
        Instant next = queue.getValue() ? flow.nextClaimableAt(c, queue.getKey(), kind, now) : now;
        if (next != null && (earliest == null || next.isBefore(earliest))) earliest = next;
      }
      return Optional.ofNullable(earliest);
    });
    return ClaimSql.earlier(ready, promotion.nextAt());
  }

  /**
   * The queues with ready tasks of {@code kind} (of {@code onlyQueues} unless it is empty), each
   * mapped to whether it has a {@code queues} row.
   */
  private static Map<String, Boolean> readyQueues(Connection c, ClaimSql.Kind kind, List<String> onlyQueues)
      throws SQLException {
    try (PreparedStatement s = c.prepareStatement(readyQueuesSql(kind)); ResultSet row = s.executeQuery()) {
      Map<String, Boolean> queues = new LinkedHashMap<>();
      while (row.next()) {
        if (onlyQueues.isEmpty() || onlyQueues.contains(row.getString(1))) queues.put(row.getString(1), row.getString(2) != null);
      }
      return queues;
    }
  }

  /**
   * Lists the queues with ready tasks of {@code kind} and their row's name (null without a row),
   * by a loose scan of the kind's index: one probe per queue.
   */
  static String readyQueuesSql(ClaimSql.Kind kind) {
    return """
        WITH RECURSIVE ready (queue) AS (
          SELECT (SELECT queue FROM tasks WHERE status = 'queued' AND %1$s ORDER BY queue LIMIT 1)
          UNION ALL
          SELECT (SELECT queue FROM tasks WHERE status = 'queued' AND %1$s AND queue > ready.queue ORDER BY queue LIMIT 1)
          FROM ready WHERE ready.queue IS NOT NULL)
        SELECT ready.queue, q.name FROM ready LEFT JOIN queues q ON q.name = ready.queue
        WHERE ready.queue IS NOT NULL""".formatted(kind.indexed());
  }
}
