package dev.offload.store;

import dev.offload.task.Task;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Claims of the queues that have a {@code queues} row: queues with settings, and queues with keyed
 * tasks. Each queue is claimed in a transaction of its own that first locks the queue's row, so the
 * claimers of one queue take turns across all nodes (SQLite has one writer anyway); inside it the
 * running tasks are counted, the token bucket is refilled, and at most the room left is claimed.
 * Keys at their limit are skipped in SQL, so their waiting tasks never hold back the tasks of other
 * keys behind them.
 *
 * <p>Which queues have a row is cached for a second (and dropped when this node changes one) for
 * the writers that need to know; claims read it fresh (see {@link QueueClaims}).
 */
final class FlowControl {
  private static final long CACHE_NANOS = 1_000_000_000L;
  private static final String KEY_HAS_ROOM =
      """
      (tasks.concurrency_key IS NULL OR tasks.key_concurrency > (SELECT COUNT(*) FROM tasks r
        WHERE r.queue = tasks.queue AND r.concurrency_key = tasks.concurrency_key AND r.status = 'running'))""";

  private final Database database;
  private volatile Cached cached = new Cached(Set.of(), Long.MIN_VALUE);

  private record Cached(Set<String> queues, long readAtNanos) {}

  FlowControl(Database database) {
    this.database = database;
  }

  /** The queues with a row, read at most a second ago. */
  Set<String> queues() {
    Cached now = cached;
    if (now.readAtNanos != Long.MIN_VALUE && System.nanoTime() - now.readAtNanos < CACHE_NANOS)
      return now.queues;
    Set<String> queues =
        database.read(
            "list queues with a row",
            c -> {
              try (PreparedStatement s = c.prepareStatement("SELECT name FROM queues");
                  ResultSet row = s.executeQuery()) {
                Set<String> names = new TreeSet<>();
                while (row.next()) names.add(row.getString(1));
                return Set.copyOf(names);
              }
            });
    cached = new Cached(queues, System.nanoTime());
    return queues;
  }

  void invalidate() {
    cached = new Cached(Set.of(), Long.MIN_VALUE);
  }

  /**
   * Claims up to {@code max} ready tasks of {@code kind} from {@code queue}, within its limits, in
   * a transaction of its own.
   */
  List<Task> claim(String queue, ClaimSql.Kind kind, Instant now, int max, ClaimSql.Lease lease) {
    return database.write("claim from queue " + queue, c -> claim(c, queue, kind, now, max, lease));
  }

  private List<Task> claim(
      Connection c, String queue, ClaimSql.Kind kind, Instant now, int max, ClaimSql.Lease lease)
      throws SQLException {
    ClaimSql.preamble(c, database.dialect());
    QueueRow row = QueueRow.read(c, queue, database.dialect().lockClause());
    if (row == null || row.settings().paused()) return List.of();
    Map<String, Integer> runningByKey = new HashMap<>();
    int running = running(c, queue, runningByKey);
    double tokens = row.tokensAt(now);
    int room = max;
    if (row.settings().concurrency() != null)
      room = Math.min(room, row.settings().concurrency() - running);
    if (row.settings().ratePerSecond() != null) room = Math.min(room, (int) Math.floor(tokens));
    if (room <= 0) return List.of();
    List<String> chosen = choose(candidates(c, queue, kind, 2 * room + 50), runningByKey, room);
    if (chosen.isEmpty()) return List.of();
    if (row.settings().ratePerSecond() != null)
      QueueRow.saveTokens(c, queue, tokens - chosen.size(), now);
    String select =
        "SELECT id AS claimed_id FROM tasks WHERE id IN ("
            + ClaimSql.placeholders(chosen.size())
            + ")";
    try (PreparedStatement s = c.prepareStatement(ClaimSql.update(lease, select))) {
      int index = lease.binder().bind(s, 1);
      for (String id : chosen) s.setString(index++, id);
      List<Task> claimed = TaskRows.list(s);
      EventRows.attemptsStarted(c, claimed, now);
      return claimed;
    }
  }

  private record Candidate(String id, String key, int keyConcurrency) {}

  /** Oldest first, never more of a key than its limit allows, counting this batch. */
  private static List<String> choose(
      List<Candidate> candidates, Map<String, Integer> runningByKey, int room) {
    List<String> chosen = new ArrayList<>();
    for (Candidate candidate : candidates) {
      if (chosen.size() == room) break;
      if (candidate.key() != null) {
        int running = runningByKey.getOrDefault(candidate.key(), 0);
        if (running >= candidate.keyConcurrency()) continue;
        runningByKey.put(candidate.key(), running + 1);
      }
      chosen.add(candidate.id());
    }
    return chosen;
  }

  private List<Candidate> candidates(Connection c, String queue, ClaimSql.Kind kind, int window)
      throws SQLException {
    try (PreparedStatement s = c.prepareStatement(candidatesSql(kind, database.dialect()))) {
      s.setString(1, queue);
      s.setInt(kind.bind(s, 2), window);
      List<Candidate> candidates = new ArrayList<>();
      try (ResultSet row = s.executeQuery()) {
        while (row.next())
          candidates.add(new Candidate(row.getString(1), row.getString(2), row.getInt(3)));
      }
      return candidates;
    }
  }

  /** The first ready tasks of a queue whose keys have room: parameters queue, the kind's, limit. */
  static String candidatesSql(ClaimSql.Kind kind, Dialect dialect) {
    return "SELECT id, concurrency_key, key_concurrency FROM tasks"
        + dialect.indexHint(kind.index())
        + " WHERE queue = ? AND status = 'queued' AND "
        + kind.filter()
        + " AND "
        + KEY_HAS_ROOM
        + " ORDER BY "
        + ClaimSql.READY_ORDER
        + " LIMIT ?"
        + dialect.skipLockedClause();
  }

  /** Running tasks of {@code queue}; fills in how many of them run per key. */
  private static int running(Connection c, String queue, Map<String, Integer> byKey)
      throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT concurrency_key, COUNT(*) FROM tasks WHERE queue = ? AND status = 'running' GROUP BY concurrency_key")) {
      s.setString(1, queue);
      int total = 0;
      try (ResultSet row = s.executeQuery()) {
        while (row.next()) {
          int count = row.getInt(2);
          total += count;
          if (row.getString(1) != null) byKey.put(row.getString(1), count);
        }
      }
      return total;
    }
  }

  /**
   * When the ready tasks of {@code kind} in {@code queue} (a queue with a row) can be claimed, or
   * null when none can until a task finishes or the settings change: the queue is paused or full,
   * or every ready task's key is at its limit. A rate-limited queue counts from its next token.
   */
  Instant nextClaimableAt(Connection c, String queue, ClaimSql.Kind kind, Instant now)
      throws SQLException {
    QueueRow row = QueueRow.read(c, queue, "");
    if (row == null || row.settings().paused()) return null;
    if (row.settings().concurrency() != null
        && running(c, queue, new HashMap<>()) >= row.settings().concurrency()) return null;
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT 1 FROM tasks WHERE queue = ? AND status = 'queued' AND "
                + kind.filter()
                + " AND "
                + KEY_HAS_ROOM
                + " LIMIT 1")) {
      s.setString(1, queue);
      kind.bind(s, 2);
      try (ResultSet result = s.executeQuery()) {
        if (!result.next()) return null;
      }
    }
    return row.settings().ratePerSecond() == null ? now : row.nextTokenAt(now);
  }
}
