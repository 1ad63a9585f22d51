package dev.offload.store;

import dev.offload.queue.QueueDepth;
import dev.offload.queue.QueueInfo;
import dev.offload.queue.QueueSettings;
import dev.offload.queue.QueueTimeline;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Queue settings and figures. A queue exists once a task names it or settings are put for it; its
 * limits hold across every node sharing the store. Settings live in the {@code queues} table; the
 * figures come from {@link QueueFigures}, the history from {@link QueueHistory}.
 */
public final class QueueStore {
  private static final String UPSERT =
      """
      INSERT INTO queues (name, concurrency, rate_per_second, burst, paused, retain_succeeded_ms, retain_failed_ms,
        tokens, tokens_at, updated_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, NULL, NULL, ?)
      ON CONFLICT (name) DO UPDATE SET concurrency = excluded.concurrency,
        rate_per_second = excluded.rate_per_second, burst = excluded.burst, paused = excluded.paused,
        retain_succeeded_ms = excluded.retain_succeeded_ms, retain_failed_ms = excluded.retain_failed_ms,
        tokens = NULL, tokens_at = NULL, updated_at = excluded.updated_at""";

  private final Database database;
  private final FlowControl flow;

  QueueStore(Database database, FlowControl flow) {
    this.database = database;
    this.flow = flow;
  }

  /** Every queue that has tasks or settings, by name, with its figures at {@code now}. */
  public List<QueueInfo> list(Instant now) {
    return database.readInIndexOrder("list queues", c -> new QueueFigures(c, now, null).read());
  }

  /** One queue, empty when no task ever named it and no settings were put for it. */
  public Optional<QueueInfo> find(String name, Instant now) {
    return database.readInIndexOrder(
        "find queue", c -> new QueueFigures(c, now, name).read().stream().findFirst());
  }

  /**
   * The queue's last hour minute by minute, the last minute being the one of {@code now}; empty
   * like {@link #find} for a queue no task ever named and no settings were put for.
   */
  public Optional<QueueTimeline> history(String name, Instant now) {
    return database.read("read queue history", c -> new QueueHistory(c, name, now).read());
  }

  /** Replaces the settings of {@code name} (creating the queue) and refills its rate bucket. */
  public QueueInfo put(String name, QueueSettings settings, Instant now) {
    database.write("put queue settings", c -> upsert(c, name, settings, now));
    flow.invalidate();
    return find(name, now).orElseThrow();
  }

  /**
   * Counts of active tasks by queue and status, and the oldest ready task of each queue, at {@code
   * now}.
   */
  public List<QueueDepth> queueDepths(Instant now) {
    return database.readInIndexOrder("count tasks by queue", c -> QueueDepths.read(c, now));
  }

  /**
   * Forgets the per-minute queue rollup past the longest window any figure reads; returns the rows
   * deleted.
   */
  public int pruneQueueMinutes(Instant now) {
    long before = QueueMinutes.minuteOf(now.minus(QueueMinutes.KEPT).toEpochMilli());
    return database.write("prune queue minutes", c -> QueueMinutes.prune(c, before));
  }

  /**
   * Whether any queue has limits or keyed tasks: then a finished task may make room for another.
   * True when the store cannot tell, since a needless wake-up costs only a claim.
   */
  public boolean hasFlowControl() {
    try {
      return !flow.queues().isEmpty();
    } catch (StoreException e) {
      return true;
    }
  }

  private static int upsert(Connection c, String name, QueueSettings settings, Instant now)
      throws SQLException {
    try (PreparedStatement s = c.prepareStatement(UPSERT)) {
      s.setString(1, name);
      QueueRow.bindSettings(s, 2, settings);
      s.setLong(8, now.toEpochMilli());
      return s.executeUpdate();
    }
  }
}
