package dev.offload.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

/**
 * Makes due tasks ready: a {@code scheduled} or {@code retrying} task whose {@code due_at} has
 * passed becomes {@code queued} (so does a {@code waiting} one whose await ran out: its next call
 * says the callback timed out), so the stored status is the one users read and "ready" means {@code
 * queued} for claims, counts, the oldest-ready age and the dashboard alike. Claimers run it before
 * every claim and wake up for {@link #nextAt}, so a task is promoted when it becomes due, whether
 * or not its queue can be claimed. A batch is bounded and skips rows another node holds. See
 * docs/state_machine.md (Becoming ready).
 */
final class DuePromotion {
  static final int BATCH = 1_000;
  private static final String WAITING = "tasks_waiting";

  private final Database database;

  DuePromotion(Database database) {
    this.database = database;
  }

  /**
   * Promotes up to {@link #BATCH} tasks due at {@code now} inside the caller's transaction; returns
   * how many.
   */
  int promote(Connection c, Instant now) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(promoteSql(database.dialect()))) {
      s.setLong(1, now.toEpochMilli());
      s.setInt(2, BATCH);
      return s.executeUpdate();
    }
  }

  /** Parameters: now, batch size. */
  static String promoteSql(Dialect dialect) {
    return """
        UPDATE tasks SET status = 'queued'
        WHERE id IN (SELECT id FROM tasks%s WHERE status IN ('scheduled', 'retrying', 'waiting') AND due_at <= ?
          ORDER BY due_at LIMIT ?%s)"""
        .formatted(dialect.indexHint(WAITING), dialect.skipLockedClause());
  }

  static String nextAtSql(Dialect dialect) {
    return "SELECT due_at FROM tasks"
        + dialect.indexHint(WAITING)
        + " WHERE status IN ('scheduled', 'retrying', 'waiting') ORDER BY due_at LIMIT 1";
  }

  /** When the next waiting task becomes due, if any waits. */
  Optional<Instant> nextAt() {
    return database.read(
        "find next due waiting task", c -> TaskRows.earliest(c, nextAtSql(database.dialect())));
  }
}
