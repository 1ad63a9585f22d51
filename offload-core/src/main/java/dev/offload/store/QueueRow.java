package dev.offload.store;

import dev.offload.queue.QueueSettings;
import dev.offload.task.Retention;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;

/**
 * A queue's stored settings and rate token bucket: {@code tokens} were in the bucket at {@code
 * tokensAt}; the bucket refills at {@code ratePerSecond} up to {@code burst} and starts full (null
 * tokens).
 */
record QueueRow(String name, QueueSettings settings, Double tokens, Instant tokensAt) {
  static final String COLUMNS =
      "name, concurrency, rate_per_second, burst, paused, tokens, tokens_at, retain_succeeded_ms, retain_failed_ms";

  /** The row of {@code queue}, or null; {@code lockClause} locks it for the transaction. */
  static QueueRow read(Connection c, String queue, String lockClause) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement("SELECT " + COLUMNS + " FROM queues WHERE name = ?" + lockClause)) {
      s.setString(1, queue);
      try (ResultSet row = s.executeQuery()) {
        return row.next() ? of(row) : null;
      }
    }
  }

  static QueueRow of(ResultSet row) throws SQLException {
    int concurrency = row.getInt("concurrency");
    Integer limit = row.wasNull() ? null : concurrency;
    double rate = row.getDouble("rate_per_second");
    Double perSecond = row.wasNull() ? null : rate;
    int burst = row.getInt("burst");
    Integer bucket = row.wasNull() ? null : burst;
    double tokens = row.getDouble("tokens");
    Double stored = row.wasNull() ? null : tokens;
    QueueSettings settings =
        new QueueSettings(
            limit,
            perSecond,
            bucket,
            row.getInt("paused") == 1,
            retention(row, "retain_succeeded_ms"),
            retention(row, "retain_failed_ms"));
    return new QueueRow(
        row.getString("name"), settings, stored, TaskRows.instant(row, "tokens_at"));
  }

  private static Retention retention(ResultSet row, String column) throws SQLException {
    long millis = row.getLong(column);
    return row.wasNull() ? null : Retention.fromStored(millis);
  }

  /** Tokens in the bucket at {@code now} (unbounded without a rate). */
  double tokensAt(Instant now) {
    Double rate = settings.ratePerSecond();
    if (rate == null) return Double.MAX_VALUE;
    int burst = settings.effectiveBurst();
    if (tokens == null || tokensAt == null) return burst;
    long elapsedMs = Math.max(0, now.toEpochMilli() - tokensAt.toEpochMilli());
    return Math.min(burst, tokens + elapsedMs * rate / 1000.0);
  }

  /** When the bucket next holds a whole token: {@code now} if it does already. */
  Instant nextTokenAt(Instant now) {
    double available = tokensAt(now);
    if (available >= 1) return now;
    return now.plusMillis((long) Math.ceil((1 - available) * 1000.0 / settings.ratePerSecond()));
  }

  static void saveTokens(Connection c, String queue, double tokens, Instant at)
      throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement("UPDATE queues SET tokens = ?, tokens_at = ? WHERE name = ?")) {
      s.setDouble(1, tokens);
      s.setLong(2, at.toEpochMilli());
      s.setString(3, queue);
      s.executeUpdate();
    }
  }

  static void bindSettings(PreparedStatement s, int from, QueueSettings settings)
      throws SQLException {
    if (settings.concurrency() == null) s.setNull(from, Types.INTEGER);
    else s.setInt(from, settings.concurrency());
    if (settings.ratePerSecond() == null) s.setNull(from + 1, Types.DOUBLE);
    else s.setDouble(from + 1, settings.ratePerSecond());
    if (settings.burst() == null) s.setNull(from + 2, Types.INTEGER);
    else s.setInt(from + 2, settings.burst());
    s.setInt(from + 3, settings.paused() ? 1 : 0);
    setRetention(s, from + 4, settings.retainSucceeded());
    setRetention(s, from + 5, settings.retainFailed());
  }

  private static void setRetention(PreparedStatement s, int index, Retention retention)
      throws SQLException {
    Long millis = Retention.toStored(retention);
    if (millis == null) s.setNull(index, Types.BIGINT);
    else s.setLong(index, millis);
  }
}
