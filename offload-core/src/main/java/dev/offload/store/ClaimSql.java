package dev.offload.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collections;
import java.util.List;

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
}
