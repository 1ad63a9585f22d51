package dev.offload.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A task as {@code GET /v1/tasks/{id}} shows it. Instants are null until they happen; JSON values
 * ({@code payload}, {@code progress}, {@code metadata}) are never null but a JSON null node when
 * absent.
 *
 * @param name the worker function of a pull task; null for a push task
 * @param callbackUrl the URL called to run a push task; null for a pull task
 * @param payload the JSON body of the call; a null node when the task has a text {@code body}
 * @param body the text body of the call; null when the task has a JSON payload
 * @param contentType the content type of {@code body}; null with a JSON payload
 * @param headerNames names of the headers given for the call (their values are not shown)
 * @param runAt when the task may run (its delay); null when it could run at once
 * @param attempts attempts started so far
 * @param maxAttempts 1 + the retries the task may take
 * @param nextAttemptAt when a scheduled or retrying task runs next; null otherwise
 * @param result the target's answer once there is one; null before
 * @param lastError why the last attempt failed; null when none did
 * @param progress the last progress the target reported
 * @param scheduleName the cron schedule that made the task; null when created through the API
 * @param timeout the limit of each attempt; null when attempts have no limit
 * @param webhook delivery of the completion webhook; null when the task has no webhookUrl
 * @param priority seconds of head start over tasks due at the same time (0 by default)
 * @param continuations calls the target answered with {@code Offload-Continue} (long work)
 * @param state the state the last continued call answered with; a null node before any
 * @param waitingUntil while the task sleeps between calls or awaits a callback, when that ends;
 *     null otherwise
 */
public record TaskView(
    String taskId,
    TaskStatus status,
    String queue,
    String name,
    String callbackUrl,
    String method,
    JsonNode payload,
    String body,
    String contentType,
    List<String> headerNames,
    Instant createdAt,
    Instant runAt,
    Instant startedAt,
    Instant finishedAt,
    int attempts,
    int maxAttempts,
    Instant nextAttemptAt,
    TaskResult result,
    String lastError,
    JsonNode progress,
    JsonNode metadata,
    String scheduleName,
    String idempotencyKey,
    Duration timeout,
    WebhookState webhook,
    int priority,
    int continuations,
    JsonNode state,
    Instant waitingUntil) {

  public TaskView {
    headerNames = List.copyOf(headerNames);
  }

  /** Succeeded, failed or cancelled. */
  public boolean isTerminal() {
    return status.isTerminal();
  }

  /** The last progress read as {@code type}; null when none was reported. */
  public <T> T progressAs(Class<T> type) {
    return Json.convert(progress, type);
  }

  /** The metadata read as {@code type}; null when the task has none. */
  public <T> T metadataAs(Class<T> type) {
    return Json.convert(metadata, type);
  }

  /**
   * The result body read as {@code type}; null when there is no result yet or its body is JSON
   * null.
   */
  public <T> T resultAs(Class<T> type) {
    return result == null ? null : result.bodyAs(type);
  }

  static TaskView from(JsonNode json) {
    String timeout = Json.text(json, "timeout");
    Integer attempts = Json.integer(json, "attempts");
    Integer maxAttempts = Json.integer(json, "maxAttempts");
    Integer priority = Json.integer(json, "priority");
    Integer continuations = Json.integer(json, "continuations");
    return new TaskView(
        Json.requiredText(json, "taskId"),
        TaskStatus.fromWire(Json.requiredText(json, "status")),
        Json.text(json, "queue"),
        Json.text(json, "name"),
        Json.text(json, "callbackUrl"),
        Json.text(json, "method"),
        Json.node(json, "payload"),
        Json.text(json, "body"),
        Json.text(json, "contentType"),
        Json.texts(json.get("headerNames")),
        Json.instant(json, "createdAt"),
        Json.instant(json, "runAt"),
        Json.instant(json, "startedAt"),
        Json.instant(json, "finishedAt"),
        attempts == null ? 0 : attempts,
        maxAttempts == null ? 0 : maxAttempts,
        Json.instant(json, "nextAttemptAt"),
        TaskResult.from(json.get("result")),
        Json.text(json, "lastError"),
        Json.node(json, "progress"),
        Json.node(json, "metadata"),
        Json.text(json, "scheduleName"),
        Json.text(json, "idempotencyKey"),
        timeout == null || timeout.equals("none") ? null : WireDurations.parse(timeout),
        WebhookState.from(json.get("webhook")),
        priority == null ? 0 : priority,
        continuations == null ? 0 : continuations,
        Json.node(json, "state"),
        Json.instant(json, "waitingUntil"));
  }
}
