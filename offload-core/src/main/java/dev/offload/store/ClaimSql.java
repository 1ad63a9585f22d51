package dev.offload.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * The parts shared by the claims of push tasks (by nodes) and pull tasks (by workers): which tasks
 * a claim may take ({@link Kind}), in which order ({@link #READY_ORDER}), and how it leases them
 * ({@link Lease}).
 */
final class ClaimSql {
  /**
   * The claim order among a queue's ready tasks: due time less the priority's head start. Written
   * exactly as in the {@code tasks_queued_*} indexes, so the database reads it off the index.
   */
  static final String READY_ORDER = "due_at - priority * 1000";

  /** Push tasks, claimed by nodes; every one of them. */
  static final Kind PUSH = new Kind("tasks_queued_push", "callback_url IS NOT NULL", "", List.of());

  /** Pull tasks, leased by workers; every one of them (a worker's claim adds its names). */
  static final Kind PULL = new Kind("tasks_queued_pull", "name IS NOT NULL", "", List.of());

  private ClaimSql() {}

  /** Binds parameters from {@code index} on and returns the next free index. */
  @FunctionalInterface
  interface Binder {
    int bind(PreparedStatement statement, int index) throws SQLException;
  }

  /**
   * Which tasks a claim may take: {@code indexed}, the condition of the kind's partial index {@code
   * index}, and {@code extra} conditions with their string arguments.
   */
  record Kind(String index, String indexed, String extra, List<String> args) implements Binder {
    String filter() {
      return indexed + extra;
    }

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
        RETURNING %s"""
        .formatted(lease.set(), selectIds, TaskRows.COLUMNS);
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

  static Optional<Instant> earlier(Optional<Instant> a, Optional<Instant> b) {
    if (a.isEmpty()) return b;
    if (b.isEmpty()) return a;
    return a.get().isBefore(b.get()) ? a : b;
  }
}
