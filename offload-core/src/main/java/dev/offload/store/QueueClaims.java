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
 * further each time, so no queue starves another; each queue's claim reads the first rows of its
 * own part of the index in {@link ClaimSql#READY_ORDER}, so a backlog in one queue (paused, limited
 * or just long) costs the others nothing.
 *
 * <p>A queue without limits is claimed by one statement, which re-reads the queue's row (one
 * lookup, not one per task), so a queue paused a moment ago is never claimed there. A limited
 * queue, and the keyed tasks of any queue, go through {@link FlowControl}, which locks the queue's
 * row and applies its limits.
 */
final class QueueClaims {
  /** A {@code queues} row that holds its queue's tasks back. */
  private static final String LIMITED =
      "(paused = 1 OR concurrency IS NOT NULL OR rate_per_second IS NOT NULL)";

  private final Database database;
  private final FlowControl flow;
  private final DuePromotion promotion;
  private final AtomicInteger turn = new AtomicInteger();

  QueueClaims(Database database, FlowControl flow) {
    this.database = database;
    this.flow = flow;
    this.promotion = new DuePromotion(database);
  }

  /** How a ready queue is claimed, by what its {@code queues} row says. */
  private enum Route {
    /** No row, or a row without limits: one statement for the tasks without a key. */
    UNLIMITED,
    /** A row with limits: {@link FlowControl}. */
    LIMITED,
    /** Paused: not at all. */
    PAUSED
  }

  /**
   * Claims up to {@code max} ready tasks of {@code kind} from {@code onlyQueues} (empty: every
   * queue), setting {@code lease} on them.
   */
  List<Task> claim(
      ClaimSql.Kind kind, List<String> onlyQueues, Instant now, int max, ClaimSql.Lease lease) {
    Map<String, Route> queues =
        database.write(
            "find ready queues",
            c -> {
              ClaimSql.preamble(c, database.dialect());
              promotion.promote(c, now);
              return readyQueues(c, kind, onlyQueues);
            });
    List<String> order = List.copyOf(queues.keySet());
    List<Task> claimed = new ArrayList<>();
    int start = order.isEmpty() ? 0 : Math.floorMod(turn.getAndIncrement(), order.size());
    for (int i = 0; i < order.size() && claimed.size() < max; i++) {
      String queue = order.get((start + i) % order.size());
      claimed.addAll(claim(queue, queues.get(queue), kind, now, max - claimed.size(), lease));
    }
    return claimed;
  }

  /**
   * A queue without limits is claimed by one statement, its keyed tasks (a key is a limit of its
   * own) by {@link FlowControl} once the others are taken; keyed tasks create the queue's row, so a
   * queue without a row has none.
   */
  private List<Task> claim(
      String queue, Route route, ClaimSql.Kind kind, Instant now, int max, ClaimSql.Lease lease) {
    return switch (route) {
      case PAUSED -> List.of();
      case LIMITED -> flow.claim(queue, kind, now, max, lease);
      case UNLIMITED -> {
        List<Task> claimed =
            new ArrayList<>(
                database.write(
                    "claim from queue " + queue,
                    c -> claimUnlimited(c, queue, kind, now, max, lease)));
        if (claimed.size() < max && flow.queues().contains(queue)) {
          claimed.addAll(flow.claim(queue, kind, now, max - claimed.size(), lease));
        }
        yield claimed;
      }
    };
  }

  private List<Task> claimUnlimited(
      Connection c, String queue, ClaimSql.Kind kind, Instant now, int max, ClaimSql.Lease lease)
      throws SQLException {
    ClaimSql.preamble(c, database.dialect());
    try (PreparedStatement s =
        c.prepareStatement(ClaimSql.update(lease, unlimitedSelect(kind, database.dialect())))) {
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

  /**
   * Picks the tasks without a key to claim from a queue without limits (parameters: queue, the
   * kind's, queue, limit). It re-reads the queue's row once, so a queue paused or limited a moment
   * ago is never claimed here.
   */
  static String unlimitedSelect(ClaimSql.Kind kind, Dialect dialect) {
    return """
        SELECT id AS claimed_id FROM tasks%s
        WHERE queue = ? AND status = 'queued' AND %s AND concurrency_key IS NULL
          AND NOT EXISTS (SELECT 1 FROM queues WHERE name = ? AND %s)
        ORDER BY %s LIMIT ?%s"""
        .formatted(
            dialect.indexHint(kind.index()),
            kind.filter(),
            LIMITED,
            ClaimSql.READY_ORDER,
            dialect.skipLockedClause());
  }

  /**
   * When the next task of {@code kind} in {@code onlyQueues} (empty: every queue) can be claimed or
   * a waiting task of any kind becomes due (and must be promoted), if either happens without a
   * finished task or a settings change; queue limits count as in {@link
   * FlowControl#nextClaimableAt}.
   */
  Optional<Instant> nextClaimableAt(ClaimSql.Kind kind, List<String> onlyQueues, Instant now) {
    Optional<Instant> ready =
        database.read(
            "find next claimable time",
            c -> {
              Instant earliest = null;
              for (Map.Entry<String, Route> queue : readyQueues(c, kind, onlyQueues).entrySet()) {
                Instant next =
                    queue.getValue() == Route.UNLIMITED && !flow.queues().contains(queue.getKey())
                        ? now
                        : flow.nextClaimableAt(c, queue.getKey(), kind, now);
                if (next != null && (earliest == null || next.isBefore(earliest))) earliest = next;
              }
              return Optional.ofNullable(earliest);
            });
    return ClaimSql.earlier(ready, promotion.nextAt());
  }

  /**
   * The queues with ready tasks of {@code kind} (of {@code onlyQueues} unless it is empty) and how
   * to claim each.
   */
  private Map<String, Route> readyQueues(Connection c, ClaimSql.Kind kind, List<String> onlyQueues)
      throws SQLException {
    try (PreparedStatement s = c.prepareStatement(readyQueuesSql(kind, database.dialect()));
        ResultSet row = s.executeQuery()) {
      Map<String, Route> queues = new LinkedHashMap<>();
      while (row.next()) {
        String queue = row.getString(1);
        if (!onlyQueues.isEmpty() && !onlyQueues.contains(queue)) continue;
        queues.put(
            queue,
            row.getInt(2) == 1
                ? Route.PAUSED
                : row.getInt(3) == 1 ? Route.LIMITED : Route.UNLIMITED);
      }
      return queues;
    }
  }

  /**
   * Lists the queues with ready tasks of {@code kind}, whether each is paused and whether it has
   * limits, by a loose scan of the kind's index: one probe per queue.
   */
  static String readyQueuesSql(ClaimSql.Kind kind, Dialect dialect) {
    return """
        WITH RECURSIVE ready (queue) AS (
          SELECT (SELECT queue FROM tasks%2$s WHERE status = 'queued' AND %1$s ORDER BY queue LIMIT 1)
          UNION ALL
          SELECT (SELECT queue FROM tasks%2$s WHERE status = 'queued' AND %1$s AND queue > ready.queue ORDER BY queue LIMIT 1)
          FROM ready WHERE ready.queue IS NOT NULL)
        SELECT ready.queue, COALESCE(q.paused, 0),
          CASE WHEN q.concurrency IS NOT NULL OR q.rate_per_second IS NOT NULL THEN 1 ELSE 0 END
        FROM ready LEFT JOIN queues q ON q.name = ready.queue
        WHERE ready.queue IS NOT NULL"""
        .formatted(kind.indexed(), dialect.indexHint(kind.index()));
  }
}
