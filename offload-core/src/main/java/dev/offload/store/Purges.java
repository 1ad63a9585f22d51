package dev.offload.store;

import java.sql.PreparedStatement;
import java.time.Instant;

/**
 * Retention: deletes finished tasks past their purge time with everything kept for them (see {@link
 * TaskDeletes}), and forgets nodes and pull workers that stopped reporting. Each call is one short
 * transaction over a bounded batch, so a backlog never holds up other writers for long.
 */
public final class Purges {
  /**
   * Due for purging: past its purge time, and no completion webhook waiting to go out (a pending
   * delivery keeps its task until it is delivered or given up).
   */
  private static final String DUE =
      "purge_at >= ? AND purge_at <= ? AND webhook_due_at IS NULL AND " + TaskDeletes.TERMINAL;

  private final Database database;
  private final PurgeTimes purgeTimes;

  Purges(Database database, PurgeTimes purgeTimes) {
    this.database = database;
    this.purgeTimes = purgeTimes;
  }

  /**
   * One batch of retention, in one short transaction: deletes up to {@code max} finished tasks
   * whose purge time is from {@code from} (epoch ms; 0 for all) to {@code now}, oldest purge time
   * first, with their attempts, events and idempotency keys. A round of batches passes each batch's
   * {@link PurgedBatch#upTo()} to the next. On PostgreSQL the rows are picked with {@code SKIP
   * LOCKED}, so nodes purging at once never pick the same task and never wait for each other. The
   * batch reads the first rows of the purge index in its order: without statistics both planners
   * would rather take every finished task by status and sort them, a scan of millions for each
   * batch. And on PostgreSQL the entries of rows deleted by earlier batches stay in the index until
   * VACUUM: each batch starting at the bottom stepped over all of them (40 ms for a batch of 100
   * after 200,000 deletes, 0.6 ms from where the last one ended).
   */
  public PurgedBatch purgeFinished(long from, Instant now, int max) {
    return database.write(
        "purge finished tasks",
        c -> {
          ClaimSql.preamble(c, database.dialect());
          try (PreparedStatement s = c.prepareStatement(purgeSql(database.dialect()))) {
            s.setLong(1, Math.max(0, from));
            s.setLong(2, now.toEpochMilli());
            s.setInt(3, max);
            TaskDeletes.Deleted deleted = TaskDeletes.deleteWithChildren(c, s);
            return new PurgedBatch(deleted.tasks(), Math.max(from, deleted.lastPurgeAt()));
          }
        });
  }

  /**
   * Deletes a batch of due tasks: parameters are the lowest purge time, the time and the batch
   * size.
   */
  static String purgeSql(Dialect dialect) {
    return """
        DELETE FROM tasks WHERE id IN (SELECT id FROM tasks%s WHERE %s ORDER BY purge_at LIMIT ?%s)
        RETURNING id, idempotency_key, purge_at"""
        .formatted(dialect.indexHint("tasks_purge"), DUE, dialect.skipLockedClause());
  }

  /**
   * Gives up to {@code max} tasks that finished before the store had retention (marked {@code
   * purge_at = -1} by the migration that added it) their purge time under the current settings,
   * counted from when they finished; returns how many.
   */
  public int settlePurgeTimes(int max) {
    return database.write(
        "settle purge times",
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  """
          UPDATE tasks SET purge_at = %s
          WHERE id IN (SELECT id FROM tasks WHERE purge_at = -1 LIMIT ?%s)"""
                      .formatted(
                          purgeTimes.expression("finished_at", "status = 'succeeded'"),
                          database.dialect().skipLockedClause()))) {
            s.setInt(1, max);
            return s.executeUpdate();
          }
        });
  }

  /** Forgets nodes whose last heartbeat is older than {@code before}; returns how many. */
  public int forgetNodes(Instant before) {
    return forget("forget nodes", "DELETE FROM nodes WHERE heartbeat_at < ?", before);
  }

  /** Forgets pull workers last seen before {@code before}; returns how many. */
  public int forgetWorkers(Instant before) {
    return forget("forget workers", "DELETE FROM workers WHERE last_seen_at < ?", before);
  }

  private int forget(String what, String delete, Instant before) {
    return database.write(
        what,
        c -> {
          try (PreparedStatement s = c.prepareStatement(delete)) {
            s.setLong(1, before.toEpochMilli());
            return s.executeUpdate();
          }
        });
  }
}
