package dev.offload.store;

import dev.offload.task.CreateResult;
import dev.offload.task.CreateResult.CreatedTask;
import dev.offload.task.NewTask;
import dev.offload.task.Retention;
import dev.offload.task.TaskBatch;
import dev.offload.task.TaskEventType;
import dev.offload.task.TaskId;
import dev.offload.task.TaskStatus;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Creates batches of tasks with their idempotency keys and {@code task.created} events inside a
 * caller's transaction (see {@link TaskInserts}).
 */
final class InsertBatch {
  private static final String INSERT_TASK =
      """
      INSERT INTO tasks (id, queue, name, callback_url, method, headers, body, content_type, status,
        created_at, run_at, due_at, max_attempts, retries, backoff_type, backoff_initial_ms,
        backoff_max_ms, backoff_factor, backoff_jitter, timeout_ms, metadata, schedule_name,
        idempotency_key, webhook_url, concurrency_key, key_concurrency, priority, retention_ms, max_continuations)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""";
  private static final String FIND_KEY =
      """
      SELECT k.task_id, k.request_hash, t.status FROM idempotency_keys k
      JOIN tasks t ON t.id = k.task_id WHERE k.idem_key = ? AND k.expires_at > ?""";
  private static final String UPSERT_KEY =
      """
      INSERT INTO idempotency_keys (idem_key, task_id, request_hash, expires_at) VALUES (?, ?, ?, ?)
      ON CONFLICT (idem_key) DO UPDATE SET task_id = excluded.task_id,
        request_hash = excluded.request_hash, expires_at = excluded.expires_at""";

  /**
   * A keyed task's queue needs a row to lock when its tasks are claimed (see {@link FlowControl}).
   */
  private static final String ENSURE_QUEUE =
      "INSERT INTO queues (name, paused, updated_at) VALUES (?, 0, ?) ON CONFLICT (name) DO NOTHING";

  private final Connection connection;
  private final Instant now;
  private final Duration keyTtl;
  private final Set<String> queuesWithRow;

  /**
   * {@code queuesWithRow}: queues known to have a {@code queues} row already (rows are never
   * deleted).
   */
  InsertBatch(Connection connection, Instant now, Duration keyTtl, Set<String> queuesWithRow) {
    this.connection = connection;
    this.now = now;
    this.keyTtl = keyTtl;
    this.queuesWithRow = new HashSet<>(queuesWithRow);
  }

  /**
   * The statements of idempotency keys are prepared only when a task carries a key: with one task a
   * request a commit holds few tasks, and preparing its four statements took 14 % of the intake
   * thread's CPU (JFR, W2 on SQLite).
   */
  List<CreateResult> create(List<TaskBatch> batches) throws SQLException {
    List<CreateResult> results = new ArrayList<>(batches.size());
    boolean keyed =
        batches.stream()
            .anyMatch(b -> b.tasks().stream().anyMatch(t -> t.idempotencyKey() != null));
    try (PreparedStatement insertTask = connection.prepareStatement(INSERT_TASK);
        PreparedStatement findKey = keyed ? connection.prepareStatement(FIND_KEY) : null;
        PreparedStatement upsertKey = keyed ? connection.prepareStatement(UPSERT_KEY) : null;
        EventRows.Batch events = new EventRows.Batch(connection)) {
      boolean inserted = false;
      for (TaskBatch batch : batches) {
        CreateResult result = create(batch, insertTask, findKey, upsertKey);
        results.add(result);
        if (!(result instanceof CreateResult.Created created)) continue;
        for (int i = 0; i < created.tasks().size(); i++) {
          if (created.tasks().get(i).replayed()) continue;
          NewTask task = batch.tasks().get(i);
          events.add(task.id(), task.queue(), TaskEventType.TASK_CREATED, 0, now);
          inserted = true;
        }
      }
      insertTask.executeBatch();
      if (inserted) events.execute();
    }
    return results;
  }

  private CreateResult create(
      TaskBatch batch,
      PreparedStatement insertTask,
      PreparedStatement findKey,
      PreparedStatement upsertKey)
      throws SQLException {
    List<CreatedTask> created = new ArrayList<>(batch.tasks().size());
    List<NewTask> toInsert = new ArrayList<>();
    Map<String, KeyHolder> keysOfBatch = new HashMap<>();
    for (NewTask task : batch.tasks()) {
      CreatedTask replay = null;
      if (task.idempotencyKey() != null) {
        KeyHolder holder =
            keysOfBatch.containsKey(task.idempotencyKey())
                ? keysOfBatch.get(task.idempotencyKey())
                : findKey(findKey, task.idempotencyKey());
        if (holder != null && !holder.requestHash.equals(task.requestHash())) {
          return new CreateResult.KeyConflict(task.idempotencyKey(), holder.taskId);
        }
        if (holder != null) replay = new CreatedTask(holder.taskId, holder.status, true);
      }
      if (replay != null) {
        created.add(replay);
      } else {
        created.add(new CreatedTask(task.id(), initialStatus(task), false));
        toInsert.add(task);
        if (task.idempotencyKey() != null) {
          keysOfBatch.put(
              task.idempotencyKey(),
              new KeyHolder(task.id(), task.requestHash(), initialStatus(task)));
        }
      }
    }
    for (NewTask task : toInsert) {
      if (task.concurrencyKey() != null && queuesWithRow.add(task.queue()))
        ensureQueueRow(task.queue());
      bindTask(insertTask, task);
      insertTask.addBatch();
      if (task.idempotencyKey() != null) {
        // Written now so that a later task of the same transaction replays this one.
        upsertKey.setString(1, task.idempotencyKey());
        upsertKey.setString(2, task.id().value());
        upsertKey.setString(3, task.requestHash());
        upsertKey.setLong(4, now.plus(keyTtl).toEpochMilli());
        upsertKey.executeUpdate();
        insertTask.executeBatch();
      }
    }
    return new CreateResult.Created(created);
  }

  private void ensureQueueRow(String queue) throws SQLException {
    try (PreparedStatement s = connection.prepareStatement(ENSURE_QUEUE)) {
      s.setString(1, queue);
      s.setLong(2, now.toEpochMilli());
      s.executeUpdate();
    }
  }

  private record KeyHolder(TaskId taskId, String requestHash, TaskStatus status) {}

  private KeyHolder findKey(PreparedStatement findKey, String key) throws SQLException {
    findKey.setString(1, key);
    findKey.setLong(2, now.toEpochMilli());
    try (ResultSet row = findKey.executeQuery()) {
      if (!row.next()) return null;
      return new KeyHolder(
          new TaskId(row.getString(1)),
          row.getString(2),
          TaskStatus.fromWire(row.getString(3)).orElseThrow());
    }
  }

  private TaskStatus initialStatus(NewTask task) {
    return task.runAt() != null && task.runAt().isAfter(now)
        ? TaskStatus.SCHEDULED
        : TaskStatus.QUEUED;
  }

  private void bindTask(PreparedStatement s, NewTask task) throws SQLException {
    Instant runAt = task.runAt() != null && task.runAt().isAfter(now) ? task.runAt() : now;
    int i = 0;
    s.setString(++i, task.id().value());
    s.setString(++i, task.queue());
    s.setString(++i, task.name());
    s.setString(++i, task.callbackUrl() == null ? null : task.callbackUrl().toString());
    s.setString(++i, task.method());
    s.setString(++i, TaskRows.headersJson(task.headers()));
    s.setString(++i, task.body());
    s.setString(++i, task.contentType());
    s.setString(++i, initialStatus(task).wire());
    s.setLong(++i, now.toEpochMilli());
    s.setLong(++i, runAt.toEpochMilli());
    s.setLong(++i, runAt.toEpochMilli());
    s.setInt(++i, task.maxAttempts());
    s.setInt(++i, task.retries());
    s.setString(++i, task.backoff().type().name().toLowerCase(Locale.ROOT));
    s.setLong(++i, task.backoff().initial().toMillis());
    s.setLong(++i, task.backoff().max().toMillis());
    s.setDouble(++i, task.backoff().factor());
    s.setInt(++i, task.backoff().jitter() ? 1 : 0);
    if (task.timeout() == null) s.setNull(++i, Types.BIGINT);
    else s.setLong(++i, task.timeout().toMillis());
    s.setString(++i, task.metadata());
    s.setString(++i, task.scheduleName());
    s.setString(++i, task.idempotencyKey());
    s.setString(++i, task.webhookUrl() == null ? null : task.webhookUrl().toString());
    s.setString(++i, task.concurrencyKey());
    TaskRows.setInteger(s, ++i, task.concurrencyKey() == null ? null : task.keyConcurrency());
    s.setInt(++i, task.priority());
    Long retentionMs = Retention.toStored(task.retention());
    if (retentionMs == null) s.setNull(++i, Types.BIGINT);
    else s.setLong(++i, retentionMs);
    s.setInt(++i, task.maxContinuations());
  }
}
