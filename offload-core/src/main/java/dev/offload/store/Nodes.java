package dev.offload.store;

import dev.offload.cluster.NodeInfo;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The node registry: heartbeats, clean stops, and who reported lately (see {@link
 * Purges#forgetNodes}).
 */
public final class Nodes {
  private final Database database;

  Nodes(Database database) {
    this.database = database;
  }

  /** Records that {@code node} is alive (registering it the first time). */
  public void heartbeat(NodeInfo node) {
    database.write(
        "node heartbeat",
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  """
          INSERT INTO nodes (id, host, version, started_at, heartbeat_at) VALUES (?, ?, ?, ?, ?)
          ON CONFLICT (id) DO UPDATE SET heartbeat_at = excluded.heartbeat_at""")) {
            s.setString(1, node.id());
            s.setString(2, node.host());
            s.setString(3, node.version());
            s.setLong(4, node.startedAt().toEpochMilli());
            s.setLong(5, node.heartbeatAt().toEpochMilli());
            return s.executeUpdate();
          }
        });
  }

  /** Marks a node as stopped cleanly. */
  public void stopped(String nodeId, Instant at) {
    database.write(
        "node stopped",
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "UPDATE nodes SET stopped_at = ?, heartbeat_at = ? WHERE id = ?")) {
            s.setLong(1, at.toEpochMilli());
            s.setLong(2, at.toEpochMilli());
            s.setString(3, nodeId);
            return s.executeUpdate();
          }
        });
  }

  /** Nodes that reported after {@code since}, oldest first. */
  public List<NodeInfo> since(Instant since) {
    return database.read(
        "list nodes",
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "SELECT id, host, version, started_at, heartbeat_at, stopped_at FROM nodes WHERE heartbeat_at > ? ORDER BY started_at")) {
            s.setLong(1, since.toEpochMilli());
            List<NodeInfo> nodes = new ArrayList<>();
            try (ResultSet row = s.executeQuery()) {
              while (row.next()) {
                nodes.add(
                    new NodeInfo(
                        row.getString(1),
                        row.getString(2),
                        row.getString(3),
                        TaskRows.instant(row, "started_at"),
                        TaskRows.instant(row, "heartbeat_at"),
                        TaskRows.instant(row, "stopped_at")));
              }
            }
            return nodes;
          }
        });
  }
}
