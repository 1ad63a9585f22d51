package dev.offload.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.offload.task.Attempt;
import dev.offload.task.AttemptOutcome;
import dev.offload.task.Backoff;
import dev.offload.task.Continuation;
import dev.offload.task.Retention;
import dev.offload.task.Task;
import dev.offload.task.TaskId;
import dev.offload.task.TaskResult;
import dev.offload.task.TaskStatus;
import dev.offload.task.WebhookState;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Mapping between rows and records; the one place that knows the column names of reads. */
final class TaskRows {
  static final String COLUMNS =
      "id, queue, name, callback_url, method, headers, body, content_type, status, created_at,"
          + " run_at, due_at, started_at, attempt_started_at, finished_at, attempts, max_attempts,"
          + " retries, backoff_type, backoff_initial_ms, backoff_max_ms, backoff_factor,"
          + " backoff_jitter, timeout_ms, lease_owner, result_status, result_content_type,"
          + " result_body, result_json, result_truncated, last_error, progress, metadata,"
          + " schedule_name, idempotency_key, webhook_url, webhook_status, webhook_attempts,"
          + " webhook_last_error, concurrency_key, key_concurrency, priority, retention_ms, purge_at,"
          + " continuations, max_continuations, state, awaiting, callback, callback_step";

  static final String ATTEMPT_COLUMNS =
      "task_id, number, started_at, finished_at, outcome, status_code, error, response_excerpt, node";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<Map<String, String>> HEADERS = new TypeReference<>() {};

  private TaskRows() {}

  /** Runs {@code statement}, which selects or returns {@link #COLUMNS}, and maps every row. */
  static List<Task> list(PreparedStatement statement) throws SQLException {
    List<Task> tasks = new ArrayList<>();
    try (ResultSet row = statement.executeQuery()) {
      while (row.next()) tasks.add(task(row));
    }
    return tasks;
  }

  static Optional<Task> find(Connection c, TaskId id) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement("SELECT " + COLUMNS + " FROM tasks WHERE id = ?")) {
      s.setString(1, id.value());
      try (ResultSet row = s.executeQuery()) {
        return row.next() ? Optional.of(task(row)) : Optional.empty();
      }
    }
  }

  /**
   * The first column of the first row of {@code sql}, a time ordered ascending: the earliest, if
   * any.
   */
  static Optional<Instant> earliest(Connection c, String sql) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(sql);
        ResultSet row = s.executeQuery()) {
      return row.next() ? Optional.of(Instant.ofEpochMilli(row.getLong(1))) : Optional.empty();
    }
  }

  static Task task(ResultSet row) throws SQLException {
    TaskStatus status = TaskStatus.fromWire(row.getString("status")).orElseThrow();
    Instant dueAt = instant(row, "due_at");
    // result_json is set with every result; result_status only with an HTTP answer (not a worker's
    // result).
    Integer resultJson = integer(row, "result_json");
    TaskResult result =
        resultJson == null
            ? null
            : new TaskResult(
                integer(row, "result_status"),
                row.getString("result_content_type"),
                row.getString("result_body"),
                resultJson == 1,
                row.getInt("result_truncated") == 1);
    String webhookUrl = row.getString("webhook_url");
    String webhookStatus = row.getString("webhook_status");
    WebhookState webhook =
        webhookUrl == null
            ? null
            : new WebhookState(
                webhookUrl,
                webhookStatus == null ? null : WebhookState.Delivery.fromWire(webhookStatus),
                row.getInt("webhook_attempts"),
                row.getString("webhook_last_error"));
    Long timeoutMs = longValue(row, "timeout_ms");
    return new Task(
        new TaskId(row.getString("id")),
        row.getString("queue"),
        row.getString("name"),
        row.getString("callback_url"),
        row.getString("method"),
        headers(row.getString("headers")),
        row.getString("body"),
        row.getString("content_type"),
        status,
        instant(row, "created_at"),
        instant(row, "run_at"),
        instant(row, "started_at"),
        instant(row, "attempt_started_at"),
        instant(row, "finished_at"),
        row.getInt("attempts"),
        row.getInt("max_attempts"),
        row.getInt("retries"),
        new Backoff(
            Backoff.Type.valueOf(row.getString("backoff_type").toUpperCase(Locale.ROOT)),
            Duration.ofMillis(row.getLong("backoff_initial_ms")),
            Duration.ofMillis(row.getLong("backoff_max_ms")),
            row.getDouble("backoff_factor"),
            row.getInt("backoff_jitter") == 1),
        timeoutMs == null ? null : Duration.ofMillis(timeoutMs),
        status == TaskStatus.RETRYING ? dueAt : null,
        result,
        row.getString("last_error"),
        row.getString("progress"),
        row.getString("metadata"),
        row.getString("schedule_name"),
        row.getString("idempotency_key"),
        row.getString("lease_owner"),
        webhook,
        row.getString("concurrency_key"),
        integer(row, "key_concurrency"),
        row.getInt("priority"),
        Retention.fromStored(longValue(row, "retention_ms")),
        instant(row, "purge_at"),
        continuation(row, status, dueAt));
  }

  private static Continuation continuation(ResultSet row, TaskStatus status, Instant dueAt)
      throws SQLException {
    int count = row.getInt("continuations");
    boolean pausedBetweenCalls =
        status == TaskStatus.WAITING || (status == TaskStatus.SCHEDULED && count > 0);
    return new Continuation(
        count,
        row.getInt("max_continuations"),
        row.getString("state"),
        row.getInt("awaiting") == 1,
        row.getString("callback"),
        integer(row, "callback_step"),
        pausedBetweenCalls ? dueAt : null);
  }

  static Attempt attempt(ResultSet row) throws SQLException {
    return new Attempt(
        new TaskId(row.getString("task_id")),
        row.getInt("number"),
        instant(row, "started_at"),
        instant(row, "finished_at"),
        AttemptOutcome.fromWire(row.getString("outcome")),
        integer(row, "status_code"),
        row.getString("error"),
        row.getString("response_excerpt"),
        row.getString("node"));
  }

  static String headersJson(Map<String, String> headers) {
    if (headers.isEmpty()) return null;
    try {
      return JSON.writeValueAsString(headers);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("headers are not serializable", e);
    }
  }

  private static Map<String, String> headers(String json) {
    if (json == null) return Map.of();
    try {
      return JSON.readValue(json, HEADERS);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored headers are not a JSON object: " + json, e);
    }
  }

  static Instant instant(ResultSet row, String column) throws SQLException {
    long millis = row.getLong(column);
    return row.wasNull() ? null : Instant.ofEpochMilli(millis);
  }

  private static Integer integer(ResultSet row, String column) throws SQLException {
    int value = row.getInt(column);
    return row.wasNull() ? null : value;
  }

  private static Long longValue(ResultSet row, String column) throws SQLException {
    long value = row.getLong(column);
    return row.wasNull() ? null : value;
  }

  static void setMillis(PreparedStatement statement, int index, Instant value) throws SQLException {
    if (value == null) statement.setNull(index, Types.BIGINT);
    else statement.setLong(index, value.toEpochMilli());
  }

  static void setInteger(PreparedStatement statement, int index, Integer value)
      throws SQLException {
    if (value == null) statement.setNull(index, Types.INTEGER);
    else statement.setInt(index, value);
  }
}
