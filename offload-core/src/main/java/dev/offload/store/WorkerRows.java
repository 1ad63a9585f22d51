package dev.offload.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.offload.cluster.WorkerHolding;
import dev.offload.cluster.WorkerInfo;
import dev.offload.task.TaskId;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * {@link WorkerSightings} in the {@code workers} table (forgotten by {@link Purges#forgetWorkers}),
 * and the pull tasks each worker holds now, read from the tasks.
 */
final class WorkerRows implements WorkerSightings {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {};

  private final Database database;

  WorkerRows(Database database) {
    this.database = database;
  }

  @Override
  public void sawWorkers(List<WorkerInfo> workers) {
    if (!workers.isEmpty()) database.write("save workers", c -> saw(c, workers));
  }

  @Override
  public List<WorkerInfo> workers(int max) {
    return database.read("list workers", c -> newest(c, max));
  }

  @Override
  public List<WorkerHolding> workerHoldings(String leaseMark, int maxEach) {
    return database.read(
        "list what workers hold", c -> holdings(c, database.dialect(), leaseMark, maxEach));
  }

  /**
   * Upserts sightings; a row already newer (another node saw the worker since) stays. In worker id
   * order, so nodes upserting the same workers at once lock their rows in one order and never
   * deadlock.
   */
  private static int saw(Connection c, List<WorkerInfo> workers) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            """
        INSERT INTO workers (worker_id, node, names, queues, last_seen_at) VALUES (?, ?, ?, ?, ?)
        ON CONFLICT (worker_id) DO UPDATE SET node = excluded.node, names = excluded.names, queues = excluded.queues,
          last_seen_at = excluded.last_seen_at
        WHERE workers.last_seen_at <= excluded.last_seen_at""")) {
      for (WorkerInfo worker :
          workers.stream().sorted(Comparator.comparing(WorkerInfo::workerId)).toList()) {
        s.setString(1, worker.workerId());
        s.setString(2, worker.node());
        s.setString(3, json(worker.names()));
        s.setString(4, json(worker.queues()));
        s.setLong(5, worker.lastSeenAt().toEpochMilli());
        s.addBatch();
      }
      return s.executeBatch().length;
    }
  }

  private static List<WorkerInfo> newest(Connection c, int max) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT worker_id, node, names, queues, last_seen_at FROM workers ORDER BY last_seen_at DESC, worker_id LIMIT ?")) {
      s.setInt(1, max);
      List<WorkerInfo> workers = new ArrayList<>();
      try (ResultSet row = s.executeQuery()) {
        while (row.next()) {
          workers.add(
              new WorkerInfo(
                  row.getString(1),
                  row.getString(2),
                  strings(row.getString(3)),
                  strings(row.getString(4)),
                  TaskRows.instant(row, "last_seen_at")));
        }
      }
      return workers;
    }
  }

  /**
   * Running pull tasks grouped by the worker named in their lease token; the first {@code maxEach}
   * of each, longest running first. One pass over the running tasks, whose number the workers'
   * concurrency bounds.
   */
  private static List<WorkerHolding> holdings(
      Connection c, Dialect dialect, String leaseMark, int maxEach) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            """
        SELECT worker_id, id, name, held FROM (
          SELECT worker_id, id, name, COUNT(*) OVER (PARTITION BY worker_id) AS held,
            ROW_NUMBER() OVER (PARTITION BY worker_id ORDER BY attempt_started_at, id) AS n
          FROM (SELECT %s AS worker_id, id, name, attempt_started_at FROM tasks
                WHERE status = 'running' AND name IS NOT NULL) running
        ) numbered WHERE n <= ? ORDER BY worker_id, n"""
                .formatted(dialect.textBefore("lease_owner")))) {
      s.setString(1, leaseMark);
      s.setInt(2, maxEach);
      List<WorkerHolding> holdings = new ArrayList<>();
      try (ResultSet row = s.executeQuery()) {
        String worker = null;
        int count = 0;
        List<WorkerHolding.HeldTask> tasks = new ArrayList<>();
        while (row.next()) {
          if (!row.getString(1).equals(worker)) {
            if (worker != null) holdings.add(new WorkerHolding(worker, count, tasks));
            worker = row.getString(1);
            count = row.getInt(4);
            tasks = new ArrayList<>();
          }
          tasks.add(new WorkerHolding.HeldTask(new TaskId(row.getString(2)), row.getString(3)));
        }
        if (worker != null) holdings.add(new WorkerHolding(worker, count, tasks));
      }
      return holdings;
    }
  }

  private static String json(List<String> values) {
    try {
      return JSON.writeValueAsString(values);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a list of strings is always JSON", e);
    }
  }

  private static List<String> strings(String json) {
    try {
      return JSON.readValue(json, STRINGS);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(
          "stored worker names or queues are not a JSON array: " + json, e);
    }
  }
}
