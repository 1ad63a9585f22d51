package dev.offload.store;

import dev.offload.queue.QueueTimeline;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/**
 * The per-queue, per-minute rollup the V007 triggers keep ({@code queue_minutes}): tasks created,
 * finished by how, and reopened (retried after finishing) in each minute. Readers look back at most
 * an hour; rows older than {@link #KEPT} are pruned by housekeeping.
 */
final class QueueMinutes {
  static final long MINUTE_MS = QueueTimeline.BUCKET.toMillis();

  /** The longest window read (an hour of history, the hour of throughput) and a margin. */
  static final Duration KEPT = Duration.ofHours(2);

  private QueueMinutes() {}

  /** The start of the minute holding {@code ms}. */
  static long minuteOf(long ms) {
    return Math.floorDiv(ms, MINUTE_MS) * MINUTE_MS;
  }

  /** Deletes the minutes that started before {@code beforeMs}; returns how many rows went. */
  static int prune(Connection c, long beforeMs) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("DELETE FROM queue_minutes WHERE minute < ?")) {
      s.setLong(1, beforeMs);
      return s.executeUpdate();
    }
  }

  /** Tasks finished per queue over the last minute and hour before {@code nowMs}. */
  record Finished(double lastMinute, double lastHour) {}

  /**
   * Tasks finished per queue (or only {@code queue}) in the minute and the hour before {@code
   * nowMs}. The rollup counts whole minutes, so the oldest minute that the window cuts through
   * counts by the share of it inside the window: an estimate that assumes tasks finished evenly
   * within that one minute.
   */
  static Map<String, Finished> finished(Connection c, String queue, long nowMs)
      throws SQLException {
    long current = minuteOf(nowMs);
    double outside = (nowMs - current) / (double) MINUTE_MS;
    long hourAgo = current - 60 * MINUTE_MS;
    Map<String, Finished> finished = new TreeMap<>();
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT queue, minute, SUM(succeeded + failed + cancelled) FROM queue_minutes"
                + " WHERE minute >= ?"
                + (queue == null ? "" : " AND queue = ?")
                + " GROUP BY queue, minute")) {
      s.setLong(1, hourAgo);
      if (queue != null) s.setString(2, queue);
      try (ResultSet row = s.executeQuery()) {
        while (row.next()) {
          long minute = row.getLong(2);
          double n = row.getLong(3);
          double inMinute =
              minute >= current ? n : minute == current - MINUTE_MS ? n * (1 - outside) : 0;
          double inHour = minute == hourAgo ? n * (1 - outside) : n;
          finished.merge(
              row.getString(1),
              new Finished(inMinute, inHour),
              (a, b) -> new Finished(a.lastMinute() + b.lastMinute(), a.lastHour() + b.lastHour()));
        }
      }
    }
    return finished;
  }
}
