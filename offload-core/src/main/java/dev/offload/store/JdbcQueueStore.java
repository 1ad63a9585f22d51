package dev.offload.store;

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
 * {@link QueueStore} over the {@code queues} table; the figures come from {@link QueueFigures}, the
 * history from {@link QueueHistory}.
 */
final class JdbcQueueStore implements QueueStore {
  private static final String UPSERT = """
      INSERT INTO queues (name, concurrency, rate_per_second, burst, paused, retain_succeeded_ms, retain_failed_ms,
        tokens, tokens_at, updated_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, NULL, NULL, ?)
      ON CONFLICT (name) DO UPDATE SET concurrency = excluded.concurrency,
        rate_per_second = excluded.rate_per_second, burst = excluded.burst, paused = excluded.paused,
        retain_succeeded_ms = excluded.retain_succeeded_ms, retain_failed_ms = excluded.retain_failed_ms,
        tokens = NULL, tokens_at = NULL, updated_at = excluded.updated_at""";

  private final Database database;
  private final FlowControl flow;

  JdbcQueueStore(Database database, FlowControl flow) {
    this.database = database;
    this.flow = flow;
  }

  @Override
  public List<QueueInfo> list(Instant now) {
    return database.readInIndexOrder("list queues", c -> new QueueFigures(c, now, null).read());
  }

  @Override
  public Optional<QueueInfo> find(String name, Instant now) {
    return database.readInIndexOrder("find queue", c -> new QueueFigures(c, now, name).read().stream().findFirst());
  }

  @Override
  public Optional<QueueTimeline> history(String name, Instant now) {
    return database.read("read queue history", c -> new QueueHistory(c, name, now).read());
  }

  @Override
  public QueueInfo put(String name, QueueSettings settings, Instant now) {
    database.write("put queue settings", c -> upsert(c, name, settings, now));
    flow.invalidate();
    return find(name, now).orElseThrow();
  }

  private static int upsert(Connection c, String name, QueueSettings settings, Instant now) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(UPSERT)) {
      s.setString(1, name);
      QueueRow.bindSettings(s, 2, settings);
      s.setLong(8, now.toEpochMilli());
      return s.executeUpdate();
    }
  }
}
