package dev.offload.store;

import dev.offload.queue.QueueInfo.AttemptDurations;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The latest attempts of one queue that finished in a time range, at most a given number (walked
 * backwards over {@code attempts_by_queue}, which holds every column read, so a busy queue costs no
 * more than the limit): their duration percentiles and the shortest attempt timeout of their tasks.
 * Attempts cut short by a cancel or ended by an expired lease are left out: their length says
 * nothing about how long the work takes.
 */
final class AttemptSample {
  private static final String LATEST =
      """
      SELECT finished_at - started_at, timeout_ms FROM attempts
      WHERE queue = ? AND finished_at >= ? AND finished_at < ? AND outcome NOT IN ('cancelled', 'lease_expired')
      ORDER BY finished_at DESC LIMIT ?""";

  private final List<Long> sortedMillis;
  private final Long shortestTimeoutMs;

  private AttemptSample(List<Long> sortedMillis, Long shortestTimeoutMs) {
    this.sortedMillis = sortedMillis;
    this.shortestTimeoutMs = shortestTimeoutMs;
  }

  /**
   * Attempts of {@code queue} with {@code fromMs <= finished_at < untilMs}, the latest {@code
   * limit}.
   */
  static AttemptSample read(Connection c, String queue, long fromMs, long untilMs, int limit)
      throws SQLException {
    List<Long> millis = new ArrayList<>();
    Long shortest = null;
    try (PreparedStatement s = c.prepareStatement(LATEST)) {
      s.setString(1, queue);
      s.setLong(2, fromMs);
      s.setLong(3, untilMs);
      s.setInt(4, limit);
      try (ResultSet row = s.executeQuery()) {
        while (row.next()) {
          millis.add(row.getLong(1));
          long timeout = row.getLong(2);
          if (!row.wasNull() && (shortest == null || timeout < shortest)) shortest = timeout;
        }
      }
    }
    millis.sort(null);
    return new AttemptSample(millis, shortest);
  }

  int size() {
    return sortedMillis.size();
  }

  /** Nearest-rank p50, p95 and p99; all null for an empty sample. */
  AttemptDurations durations() {
    if (sortedMillis.isEmpty()) return new AttemptDurations(null, null, null);
    return new AttemptDurations(
        percentile(sortedMillis, 50), percentile(sortedMillis, 95), percentile(sortedMillis, 99));
  }

  /**
   * The shortest timeout among the sampled attempts' tasks; null when none has one (or the sample
   * is empty).
   */
  Long shortestTimeoutMs() {
    return shortestTimeoutMs;
  }

  /** Nearest rank: the smallest value with at least {@code p} % of the sample at or below it. */
  static long percentile(List<Long> sorted, int p) {
    int rank = (int) Math.ceil(p / 100.0 * sorted.size());
    return sorted.get(Math.max(0, rank - 1));
  }
}
