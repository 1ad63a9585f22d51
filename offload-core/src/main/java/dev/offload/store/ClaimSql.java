package dev.offload.store;

import dev.offload.task.Task;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * The parts shared by the claims of push tasks (by nodes) and pull tasks (by workers): which tasks
 * a claim may take ({@link Kind}) and how it leases them ({@link Lease}), on the fast path for
 * unlimited queues and on {@link FlowControl}'s path for limited ones.
 */
final class ClaimSql {
  /**
   * True for a task no queue limit applies to. Claims on the fast path test this in SQL, so a
   * queue limited a moment ago is never claimed there, whatever a node's cached view says.
   */
  static final String UNLIMITED = """
      tasks.concurrency_key IS NULL AND NOT EXISTS (SELECT 1 FROM queues q WHERE q.name = tasks.queue
        AND (q.paused = 1 OR q.concurrency IS NOT NULL OR q.rate_per_second IS NOT NULL))""";

  private static final AtomicInteger CLAIM_TURN = new AtomicInteger();

  private ClaimSql() {}

  /** Binds parameters from {@code index} on and returns the next free index. */
  @FunctionalInterface
  interface Binder {
    int bind(PreparedStatement statement, int index) throws SQLException;
  }

  /** Which tasks a claim may take: an SQL condition on {@code tasks} and its string arguments. */
  record Kind(String filter, List<String> args) implements Binder {
    @Override
    public int bind(PreparedStatement statement, int index) throws SQLException {
      for (String arg : args) statement.setString(index++, arg);
      return index;
    }
  }

  /** The SET clause that leases a claimed task, and its parameters (bound first). */
  record Lease(String set, Binder binder) {}

  /** The claim update: sets {@code lease} on the tasks {@code selectIds} picks. */
  static String update(Lease lease, String selectIds) {
    return """
        UPDATE tasks SET %s
        FROM (%s) AS claimed
        WHERE tasks.id = claimed.claimed_id
        RETURNING %s""".formatted(lease.set(), selectIds, TaskRows.COLUMNS);
  }

  static String placeholders(int count) {
    return String.join(", ", Collections.nCopies(count, "?"));
  }

  /** Runs the dialect's claim preamble (see {@link Dialect#claimPreamble()}) in the transaction. */
  static void preamble(Connection c, Dialect dialect) throws SQLException {
    String preamble = dialect.claimPreamble();
    if (preamble == null) return;
    try (Statement s = c.createStatement()) {
      s.execute(preamble);
    }
  }

  /**
   * Claims from the fast path (queues without limits) and from limited queues, taking turns at
   * going first, so a backlog on either side never starves the other.
   */
  static List<Task> claimBothPaths(int max, IntFunction<List<Task>> fast, IntFunction<List<Task>> limited) {
    boolean limitedFirst = (CLAIM_TURN.getAndIncrement() & 1) == 1;
    List<Task> claimed = new ArrayList<>((limitedFirst ? limited : fast).apply(max));
    if (claimed.size() < max) claimed.addAll((limitedFirst ? fast : limited).apply(max - claimed.size()));
    return claimed;
  }

  static Optional<Instant> earlier(Optional<Instant> a, Optional<Instant> b) {
    if (a.isEmpty()) return b;
    if (b.isEmpty()) return a;
    return a.get().isBefore(b.get()) ? a : b;
  }
}
