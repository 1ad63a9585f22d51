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
 *
 * <p>Signals are sent by a thread of their own, all those raised meanwhile in one transaction:
 * PostgreSQL serializes the commits of transactions that notify, and the intake and the completer
 * waited 2 to 100 ms for theirs at 1,000 tasks/s before they could take their next batch.
 */
final class PostgresSignals implements ClusterSignals {
  private static final Logger log = LoggerFactory.getLogger(PostgresSignals.class);
  private static final String NEW_WORK = "offload_new_work";
  private static final String FINISHED = "offload_finished";

  /** NOTIFY payloads must stay under 8,000 bytes; task ids are 30 characters. */
  private static final int IDS_PER_NOTIFY = 200;

  private static final int POLL_MS = 500;

  /** How long sending pauses after the database refused a signal. */
  private static final long SEND_RETRY_MS = 1_000;

  private final String jdbcUrl;
  private final String nodeId;
  private Connection sender;
  private Thread receiver;
  private Thread sending;
  private volatile boolean running = true;

  /** Signals raised and not yet sent; guarded by {@code this}. */
  private boolean newWorkPending;

  private final List<TaskId> finishedPending = new ArrayList<>();

  PostgresSignals(String jdbcUrl, String nodeId) {
    this.jdbcUrl = jdbcUrl;
    this.nodeId = nodeId;
  }

  @Override
  public void start(Listener listener) {
    receiver = Thread.ofPlatform().name("offload-listen").daemon().start(() -> receive(listener));
    sending = Thread.ofPlatform().name("offload-notify").daemon().start(this::sendPending);
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
  public synchronized void newWork() {
    newWorkPending = true;
    notifyAll();
  }

  @Override
  public synchronized void finished(Collection<TaskId> ids) {
    finishedPending.addAll(ids);
    notifyAll();
  }

  private void sendPending() {
    try {
      while (running) {
        boolean newWork;
        List<TaskId> finished;
        synchronized (this) {
          while (running && !newWorkPending && finishedPending.isEmpty()) wait();
          newWork = newWorkPending;
          finished = List.copyOf(finishedPending);
          newWorkPending = false;
          finishedPending.clear();
        }
        if (!send(newWork, finished)) Thread.sleep(SEND_RETRY_MS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      closeSender();
    }
  }

  /** Sends the signals in one transaction; false when the database refused them (they are lost). */
  private boolean send(boolean newWork, List<TaskId> finished) {
    try {
      if (sender == null || sender.isClosed()) sender = openSender();
      try (PreparedStatement statement = sender.prepareStatement("SELECT pg_notify(?, ?)")) {
        if (newWork) notify(statement, NEW_WORK, nodeId);
        for (int from = 0; from < finished.size(); from += IDS_PER_NOTIFY) {
          List<TaskId> chunk =
              finished.subList(from, Math.min(finished.size(), from + IDS_PER_NOTIFY));
          notify(
              statement,
              FINISHED,
              nodeId + "|" + String.join(",", chunk.stream().map(TaskId::value).toList()));
        }
      }
      sender.commit();
      return true;
    } catch (SQLException e) {
      log.debug("NOTIFY not sent, other nodes will poll: {}", e.getMessage());
      closeSender();
      return false;
    }
  }

  private static void notify(PreparedStatement statement, String channel, String payload)
      throws SQLException {
    statement.setString(1, channel);
    statement.setString(2, payload);
    statement.execute();
  }

  /**
   * Signals commit transactions of their own, and with synchronous commit each commit waits for the
   * WAL to reach the disk: 1 to 85 ms on a loaded machine. A lost signal only means a node polls,
   * so the sender's commits do not wait for the flush (0.05 ms).
   */
  private Connection openSender() throws SQLException {
    Connection connection = DriverManager.getConnection(jdbcUrl);
    try (Statement statement = connection.createStatement()) {
      statement.execute("SET synchronous_commit = off");
      connection.setAutoCommit(false);
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
  public void close() {
    running = false;
    if (receiver != null) receiver.interrupt();
    if (sending != null) sending.interrupt();
  }
}
