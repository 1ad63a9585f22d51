package dev.offload.store;

import dev.offload.cluster.ClusterSignals;
import dev.offload.task.TaskId;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * LISTEN/NOTIFY between nodes. LISTEN needs a session that stays open, so it has a connection of
 * its own outside the pool, reopened after the database comes back; a second connection sends.
 * Payloads start with the sender's node id so a node ignores its own signals.
 */
final class PostgresSignals implements ClusterSignals {
  private static final Logger log = LoggerFactory.getLogger(PostgresSignals.class);
  private static final String NEW_WORK = "offload_new_work";
  private static final String FINISHED = "offload_finished";

  /** NOTIFY payloads must stay under 8,000 bytes; task ids are 30 characters. */
  private static final int IDS_PER_NOTIFY = 200;

  private static final int POLL_MS = 500;

  private final String jdbcUrl;
  private final String nodeId;
  private Connection sender;
  private Thread receiver;
  private volatile boolean running = true;

  PostgresSignals(String jdbcUrl, String nodeId) {
    this.jdbcUrl = jdbcUrl;
    this.nodeId = nodeId;
  }

  @Override
  public void start(Listener listener) {
    receiver = Thread.ofPlatform().name("offload-listen").daemon().start(() -> receive(listener));
  }

  private void receive(Listener listener) {
    long retryMs = 250;
    while (running) {
      try (Connection connection = DriverManager.getConnection(jdbcUrl)) {
        try (Statement statement = connection.createStatement()) {
          statement.execute("LISTEN " + NEW_WORK);
          statement.execute("LISTEN " + FINISHED);
        }
        retryMs = 250;
        listener.newWork();
        PGConnection pg = connection.unwrap(PGConnection.class);
        while (running) {
          PGNotification[] notifications = pg.getNotifications(POLL_MS);
          if (notifications != null) for (PGNotification n : notifications) deliver(n, listener);
        }
      } catch (SQLException | RuntimeException e) {
        if (!running) return;
        log.warn(
            "LISTEN connection lost ({}); reconnecting in {}ms, polling meanwhile",
            e.getMessage(),
            retryMs);
        sleep(retryMs);
        retryMs = Math.min(5_000, retryMs * 2);
      }
    }
  }

  private void deliver(PGNotification notification, Listener listener) {
    String payload = notification.getParameter();
    int bar = payload.indexOf('|');
    String sender = bar < 0 ? payload : payload.substring(0, bar);
    if (sender.equals(nodeId)) return;
    if (notification.getName().equals(NEW_WORK)) {
      listener.newWork();
    } else if (bar >= 0) {
      List<TaskId> ids = new ArrayList<>();
      for (String id : payload.substring(bar + 1).split(",")) {
        if (TaskId.isValid(id)) ids.add(new TaskId(id));
      }
      listener.finished(ids);
    }
  }

  @Override
  public void newWork() {
    send(NEW_WORK, nodeId);
  }

  @Override
  public void finished(Collection<TaskId> ids) {
    List<TaskId> list = List.copyOf(ids);
    for (int from = 0; from < list.size(); from += IDS_PER_NOTIFY) {
      List<TaskId> chunk = list.subList(from, Math.min(list.size(), from + IDS_PER_NOTIFY));
      send(FINISHED, nodeId + "|" + String.join(",", chunk.stream().map(TaskId::value).toList()));
    }
  }

  private synchronized void send(String channel, String payload) {
    try {
      if (sender == null || sender.isClosed()) sender = openSender();
      try (PreparedStatement statement = sender.prepareStatement("SELECT pg_notify(?, ?)")) {
        statement.setString(1, channel);
        statement.setString(2, payload);
        statement.execute();
      }
    } catch (SQLException e) {
      log.debug("NOTIFY {} not sent, other nodes will poll: {}", channel, e.getMessage());
      closeSender();
    }
  }

  /**
   * A NOTIFY commits a transaction of its own, and with synchronous commit that commit waits for
   * the WAL to reach the disk: 1 to 85 ms each on a loaded machine, paid by the intake and the
   * completer on every batch they commit. A lost signal only means a node polls, so the sender's
   * commits do not wait for the flush (0.05 ms).
   */
  private Connection openSender() throws SQLException {
    Connection connection = DriverManager.getConnection(jdbcUrl);
    try (Statement statement = connection.createStatement()) {
      statement.execute("SET synchronous_commit = off");
    } catch (SQLException e) {
      connection.close();
      throw e;
    }
    return connection;
  }

  private void closeSender() {
    try {
      if (sender != null) sender.close();
    } catch (SQLException ignored) {
      // the connection is broken anyway
    }
    sender = null;
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public synchronized void close() {
    running = false;
    if (receiver != null) receiver.interrupt();
    closeSender();
  }
}
