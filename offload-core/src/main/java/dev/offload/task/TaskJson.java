package dev.offload.task;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/**
 * The JSON shapes of a task shared by the API and the completion webhook (docs/design.md: Tasks,
 * Completion webhooks).
 */
public final class TaskJson {
  private final ObjectMapper mapper;

  public TaskJson(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  /** The task as {@code GET /v1/tasks/{id}} shows it. */
  public ObjectNode task(Task task) {
    ObjectNode json = mapper.createObjectNode();
    json.put("taskId", task.id().value());
    json.put("status", task.status().wire());
    json.put("queue", task.queue());
    if (task.name() != null) json.put("name", task.name());
    if (task.callbackUrl() != null) json.put("callbackUrl", task.callbackUrl());
    if (task.callbackUrl() != null) json.put("method", task.method());
    if (task.contentType() == null) {
      json.set("payload", raw(task.body()));
    } else {
      json.put("body", task.body());
      json.put("contentType", task.contentType());
    }
    json.putArray("headerNames")
        .addAll(task.headers().keySet().stream().sorted().map(json::textNode).toList());
    putInstant(json, "createdAt", task.createdAt());
    putInstant(json, "runAt", task.runAt());
    putInstant(json, "startedAt", task.startedAt());
    putInstant(
        json,
        "attemptStartedAt",
        task.status() == TaskStatus.RUNNING ? task.attemptStartedAt() : null);
    putInstant(json, "finishedAt", task.finishedAt());
    json.put("attempts", task.attempts());
    json.put("maxAttempts", task.maxAttempts());
    putInstant(json, "nextAttemptAt", task.nextAttemptAt());
    json.set("result", result(task.result()));
    json.put("lastError", task.lastError());
    json.set("progress", raw(task.progress()));
    json.set("metadata", raw(task.metadata()));
    json.put("scheduleName", task.scheduleName());
    json.put("idempotencyKey", task.idempotencyKey());
    json.put("timeout", task.timeout() == null ? "none" : Durations.format(task.timeout()));
    json.set("webhook", webhook(task.webhook()));
    json.put("concurrencyKey", task.concurrencyKey());
    json.put("keyConcurrency", task.keyConcurrency());
    json.put("priority", task.priority());
    json.put("retention", task.retention() == null ? null : task.retention().toString());
    putInstant(json, "purgeAt", task.purgeAt());
    Continuation chain = task.continuation();
    json.put("continuations", chain.count());
    json.put("maxContinuations", chain.max());
    json.set("state", raw(chain.state()));
    putInstant(json, "waitingUntil", chain.waitingUntil());
    return json;
  }

  /** The body POSTed to {@code webhookUrl} when the task reaches a terminal state. */
  public byte[] webhookBody(Task task) {
    ObjectNode json = mapper.createObjectNode();
    json.put("taskId", task.id().value());
    json.put("status", task.status().wire());
    json.set("result", result(task.result()));
    json.put("lastError", task.lastError());
    json.put("attempts", task.attempts());
    json.set("metadata", raw(task.metadata()));
    putInstant(json, "createdAt", task.createdAt());
    putInstant(json, "finishedAt", task.finishedAt());
    try {
      return mapper.writeValueAsBytes(json);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialize webhook of " + task.id(), e);
    }
  }

  public ObjectNode attempt(Attempt attempt) {
    ObjectNode json = mapper.createObjectNode();
    json.put("number", attempt.number());
    putInstant(json, "startedAt", attempt.startedAt());
    putInstant(json, "finishedAt", attempt.finishedAt());
    json.put("durationMs", attempt.durationMs());
    json.put("outcome", attempt.outcome().wire());
    if (attempt.statusCode() == null) json.putNull("statusCode");
    else json.put("statusCode", attempt.statusCode());
    json.put("error", attempt.error());
    json.put("responseExcerpt", attempt.responseExcerpt());
    json.put("node", attempt.node());
    return json;
  }

  private JsonNode result(TaskResult result) {
    if (result == null) return mapper.nullNode();
    ObjectNode json = mapper.createObjectNode();
    json.put("statusCode", result.statusCode());
    json.put("contentType", result.contentType());
    if (result.json()) json.set("body", raw(result.body()));
    else json.put("body", result.body());
    json.put("truncated", result.truncated());
    return json;
  }

  private JsonNode webhook(WebhookState webhook) {
    if (webhook == null) return mapper.nullNode();
    ObjectNode json = mapper.createObjectNode();
    json.put("url", webhook.url());
    json.put("status", webhook.status() == null ? null : webhook.status().wire());
    json.put("attempts", webhook.attempts());
    json.put("lastError", webhook.lastError());
    return json;
  }

  private JsonNode raw(String jsonText) {
    if (jsonText == null) return mapper.nullNode();
    try {
      return mapper.readTree(jsonText);
    } catch (JsonProcessingException e) {
      return mapper.getNodeFactory().textNode(jsonText);
    }
  }

  private static void putInstant(ObjectNode json, String field, Instant value) {
    json.put(field, value == null ? null : value.toString());
  }
}
