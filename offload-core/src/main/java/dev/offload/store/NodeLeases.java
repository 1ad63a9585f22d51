package dev.offload.store;

import dev.offload.task.Task;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.List;

/**
 * The leases a node holds on the push tasks it runs ({@code lease_owner} is the node id): renewed
 * all at once while the node lives, released when it stops, found expired when it died.
 */
final class NodeLeases {
  private final Database database;

  NodeLeases(Database database) {
    this.database = database;
  }

  int renew(String node, Instant until) {
    return updateHeld("renew leases", "lease_expires_at = ?", node, until);
  }

  int release(String node, Instant now) {
    return updateHeld("release leases", """
        status = 'queued', due_at = ?, attempts = attempts - 1,
          lease_owner = NULL, lease_expires_at = NULL, attempt_started_at = NULL""", node, now);
  }

  /**
   * Sets {@code set} (whose one parameter is {@code at}) on every task {@code node} is running, in
   * one statement. Rows are locked in id order, like every multi-row write, so concurrent writers
   * never deadlock.
   */
  private int updateHeld(String what, String set, String node, Instant at) {
    return database.write(what, c -> {
      try (PreparedStatement s = c.prepareStatement("""
          UPDATE tasks SET %s
          WHERE id IN (SELECT id FROM tasks WHERE lease_owner = ? AND status = 'running' ORDER BY id%s)"""
          .formatted(set, database.dialect().lockClause()))) {
        s.setLong(1, at.toEpochMilli());
        s.setString(2, node);
        return s.executeUpdate();
      }
    });
  }

  List<Task> expired(Instant before, int max) {
    return database.read("find expired leases", c -> {
      try (PreparedStatement s = c.prepareStatement("SELECT " + TaskRows.COLUMNS
          + " FROM tasks WHERE status = 'running' AND lease_expires_at < ? ORDER BY lease_expires_at LIMIT ?")) {
        s.setLong(1, before.toEpochMilli());
        s.setInt(2, max);
        return TaskRows.list(s);
      }
    });
  }
}
