package dev.offload.store;

import dev.offload.task.Task;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Claims of the queues that have a {@code queues} row: queues with settings, and queues with
 * keyed tasks. Each queue is claimed in a transaction of its own that first locks the queue's row,
 * so the claimers of one queue take turns across all nodes (SQLite has one writer anyway); inside
 * it the running tasks are counted, the token bucket is refilled, and at most the room left is
 * claimed. Keys at their limit are skipped in SQL, so their waiting tasks never hold back the
 * tasks of other keys behind them.
 *
 * <p>Which queues have a row is cached for a second (and dropped when this node changes one).
 * A stale cache costs latency, never a limit: the fast path re-checks the limits in SQL.
 */
final class FlowControl {
  private static final long CACHE_NANOS = 1_000_000_000L;
  private static final String KEY_HAS_ROOM = """
      (tasks.concurrency_key IS NULL OR tasks.key_concurrency > (SELECT COUNT(*) FROM tasks r
        WHERE r.queue = tasks.queue AND r.concurrency_key = tasks.concurrency_key AND r.status = 'running'))""";

  private final Database database;
  private final AtomicInteger turn = new AtomicInteger();
  private volatile Cached cached = new Cached(Set.of(), Long.MIN_VALUE);

  private record Cached(Set<String> queues, long readAtNanos) {}

  FlowControl(Database database) {
    this.database = database;
  }

  /** The queues with a row, read at most a second ago. */
  Set<String> queues() {
    Cached now = cached;
    if (now.readAtNanos != Long.MIN_VALUE && System.nanoTime() - now.readAtNanos < CACHE_NANOS) return now.queues;
    Set<String> queues = database.read("list queues with a row", c -> {
      try (PreparedStatement s = c.prepareStatement("SELECT name FROM queues"); ResultSet row = s.executeQuery()) {
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

  /** Claims up to {@code max} tasks of {@code kind} from {@code queues}, one transaction per queue, taking turns. */
  List<Task> claim(Collection<String> queues, ClaimSql.Kind kind, Instant now, int max, ClaimSql.Lease lease) {
    List<String> order = List.copyOf(queues);
    List<Task> claimed = new ArrayList<>();
    int start = order.isEmpty() ? 0 : Math.floorMod(turn.getAndIncrement(), order.size());
    for (int i = 0; i < order.size() && claimed.size() < max; i++) {
      String queue = order.get((start + i) % order.size());
      int want = max - claimed.size();
      claimed.addAll(database.write("claim from queue " + queue, c -> claim(c, queue, kind, now, want, lease)));
    }
    return claimed;
  }

  private List<Task> claim(Connection c, String queue, ClaimSql.Kind kind, Instant now, int max, ClaimSql.Lease lease)
      throws SQLException {
    ClaimSql.preamble(c, database.dialect());
    QueueRow row = QueueRow.read(c, queue, database.dialect().lockClause());
    if (row == null || row.settings().paused()) return List.of();
    Map<String, Integer> runningByKey = new HashMap<>();
    int running = running(c, queue, runningByKey);
    double tokens = row.tokensAt(now);
    int room = max;
    if (row.settings().concurrency() != null) room = Math.min(room, row.settings().concurrency() - running);
    if (row.settings().ratePerSecond() != null) room = Math.min(room, (int) Math.floor(tokens));
    if (room <= 0) return List.of();
    List<String> chosen = choose(candidates(c, queue, kind, now, 2 * room + 50), runningByKey, room);
    if (chosen.isEmpty()) return List.of();
    if (row.settings().ratePerSecond() != null) QueueRow.saveTokens(c, queue, tokens - chosen.size(), now);
    String select = "SELECT id AS claimed_id FROM tasks WHERE id IN (" + ClaimSql.placeholders(chosen.size()) + ")";
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
  private static List<String> choose(List<Candidate> candidates, Map<String, Integer> runningByKey, int room) {
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

  private List<Candidate> candidates(Connection c, String queue, ClaimSql.Kind kind, Instant now, int window)
      throws SQLException {
    String sql = "SELECT id, concurrency_key, key_concurrency FROM tasks WHERE queue = ? AND due_at <= ? AND "
        + kind.filter() + " AND " + KEY_HAS_ROOM + " ORDER BY due_at LIMIT ?" + database.dialect().skipLockedClause();
    try (PreparedStatement s = c.prepareStatement(sql)) {
      s.setString(1, queue);
      s.setLong(2, now.toEpochMilli());
      s.setInt(kind.bind(s, 3), window);
      List<Candidate> candidates = new ArrayList<>();
      try (ResultSet row = s.executeQuery()) {
        while (row.next()) candidates.add(new Candidate(row.getString(1), row.getString(2), row.getInt(3)));
      }
      return candidates;
    }
  }

  /** Running tasks of {@code queue}; fills in how many of them run per key. */
  private static int running(Connection c, String queue, Map<String, Integer> byKey) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(
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
   * When the next task of {@code kind} in one of {@code queues} can be claimed, ignoring what cannot
   * be claimed now: a paused or full queue (resuming or a finished task wakes the claimers), tasks
   * of keys at their limit; a rate-limited queue counts from when its next token is due.
   */
  Optional<Instant> nextClaimableAt(Collection<String> queues, ClaimSql.Kind kind, Instant now) {
    if (queues.isEmpty()) return Optional.empty();
    return database.read("find next claimable time", c -> {
      Instant earliest = null;
      for (String queue : queues) {
        Instant next = nextClaimableAt(c, queue, kind, now);
        if (next != null && (earliest == null || next.isBefore(earliest))) earliest = next;
      }
      return Optional.ofNullable(earliest);
    });
  }

  private Instant nextClaimableAt(Connection c, String queue, ClaimSql.Kind kind, Instant now) throws SQLException {
    QueueRow row = QueueRow.read(c, queue, "");
    if (row == null || row.settings().paused()) return null;
    if (row.settings().concurrency() != null && running(c, queue, new HashMap<>()) >= row.settings().concurrency()) return null;
    Instant due;
    try (PreparedStatement s = c.prepareStatement("SELECT MIN(due_at) FROM tasks WHERE queue = ? AND due_at IS NOT NULL AND "
        + kind.filter() + " AND " + KEY_HAS_ROOM)) {
      s.setString(1, queue);
      kind.bind(s, 2);
      try (ResultSet result = s.executeQuery()) {
        if (!result.next()) return null;
        long millis = result.getLong(1);
        if (result.wasNull()) return null;
        due = Instant.ofEpochMilli(millis);
      }
    }
    if (row.settings().ratePerSecond() == null) return due;
    Instant token = row.nextTokenAt(now);
    return token.isAfter(due) ? token : due;
  }
}
