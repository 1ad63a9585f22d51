package dev.offload.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Finished tasks whose retention has passed, written straight into the store of a running server
 * (each with one attempt, like a real finished task; their events would be long pruned), so that
 * its purger deletes at full speed while a workload runs: {@code --purge-backlog}. Ids start with
 * {@code tsk_0}, older than every real id.
 */
final class PurgeBacklog {
  /** Rows per transaction: short enough that the server's writers wait within their busy timeout. */
  private static final int CHUNK = 20_000;

  private PurgeBacklog() {}

  static void fill(String jdbcUrl, int tasks) throws SQLException {
    long purgeAt = System.currentTimeMillis() - 3_600_000;
    try (Connection c = DriverManager.getConnection(jdbcUrl); Statement s = c.createStatement()) {
      if (jdbcUrl.startsWith("jdbc:sqlite:")) s.execute("PRAGMA busy_timeout = 10000");
      c.setAutoCommit(false);
      for (int from = 1; from <= tasks; from += CHUNK) {
        int to = Math.min(tasks, from + CHUNK - 1);
        String ids = "WITH RECURSIVE g(n) AS (SELECT " + from + " UNION ALL SELECT n + 1 FROM g WHERE n < " + to + ")";
        String padded = "('0000000000000000000000000' || n)";
        String id = "'tsk_0' || substr(" + padded + ", length(" + padded + ") - 24)";
        s.executeUpdate("INSERT INTO tasks (id, queue, callback_url, method, body, status, created_at, run_at, started_at,"
            + " finished_at, attempts, max_attempts, retries, backoff_type, backoff_initial_ms, backoff_max_ms,"
            + " backoff_factor, backoff_jitter, timeout_ms, result_status, result_content_type, result_body, result_json,"
            + " result_truncated, purge_at) " + ids + " SELECT " + id + ", 'backlog', 'http://127.0.0.1:9/done', 'POST',"
            + " '{\"n\":1}', 'succeeded', " + purgeAt + ", " + purgeAt + ", " + purgeAt + ", " + purgeAt + ", 1, 4, 3,"
            + " 'exponential', 1000, 3600000, 2, 1, 3600000, 200, 'application/json', '{\"ok\":true}', 1, 0, " + purgeAt
            + " FROM g");
        s.executeUpdate("INSERT INTO attempts (task_id, number, started_at, finished_at, outcome, status_code, node) " + ids
            + " SELECT " + id + ", 1, " + purgeAt + ", " + purgeAt + ", 'succeeded', 200, 'bench' FROM g");
        c.commit();
      }
    }
  }

  /** How many backlog tasks are still there. */
  static long left(String jdbcUrl) throws SQLException {
    try (Connection c = DriverManager.getConnection(jdbcUrl); Statement s = c.createStatement();
        ResultSet row = s.executeQuery("SELECT COUNT(*) FROM tasks WHERE queue = 'backlog'")) {
      row.next();
      return row.getLong(1);
    }
  }
}
