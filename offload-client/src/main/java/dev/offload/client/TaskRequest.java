package dev.offload.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One task to create ({@code POST /v1/tasks}): an immutable value, built once and reusable. Exactly
 * one of {@link Builder#callbackUrl} (a push task: Offload calls that URL) and {@link Builder#name}
 * (a pull task: a worker that handles that name runs it, see {@code OffloadWorker}) is required;
 * every option left unset takes the server's default (queue {@code default}, 3 retries, exponential
 * backoff, a 1 h timeout). A pull task takes a {@code payload} but no method, headers or text body.
 *
 * <pre>{@code
 * TaskRequest request = TaskRequest.builder()
 *     .callbackUrl("https://video.example.com/transcode")
 *     .payload(Map.of("videoUrl", url, "format", "mp4"))
 *     .retries(5)
 *     .backoff(Backoff.exponential().withMax(Duration.ofMinutes(10)))
 *     .timeout(Duration.ofMinutes(30))
 *     .webhookUrl("https://app.example.com/api/on-transcode-complete")
 *     .idempotencyKey("order-1234")
 *     .build();
 * }</pre>
 *
 * <p>The builder rejects at once what is wrong whatever the server (negative durations, a payload
 * and a body, a delay and a runAt); the server checks the rest and answers with an {@link
 * OffloadException} listing every invalid field.
 */
public final class TaskRequest {
  private static final List<String> FIELD_ORDER =
      List.of(
          "callbackUrl",
          "name",
          "method",
          "headers",
          "payload",
          "body",
          "contentType",
          "queue",
          "delay",
          "runAt",
          "retries",
          "backoff",
          "timeout",
          "webhookUrl",
          "idempotencyKey",
          "metadata",
          "concurrencyKey",
          "keyConcurrency",
          "priority",
          "retention",
          "maxContinuations");
  private final ObjectNode json;

  private TaskRequest(ObjectNode json) {
    this.json = json;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this request's options, to derive a similar request. */
  public Builder toBuilder() {
    return new Builder(json.deepCopy());
  }

  /** The request body as the API reads it. */
  ObjectNode toJson() {
    return json.deepCopy();
  }

  /** The JSON of the request with header values hidden (they often hold credentials). */
  @Override
  public String toString() {
    ObjectNode shown = json.deepCopy();
    if (shown.get("headers") instanceof ObjectNode headers) {
      List<String> names = new ArrayList<>();
      headers.fieldNames().forEachRemaining(names::add);
      names.forEach(name -> headers.put(name, "…"));
    }
    return "TaskRequest" + shown;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof TaskRequest that && json.equals(that.json);
  }

  @Override
  public int hashCode() {
    return json.hashCode();
  }

  /** Options of a task; each setter replaces what was set before. Not thread-safe. */
  public static final class Builder {
    private final ObjectNode json;

    private Builder() {
      this(JsonNodeFactory.instance.objectNode());
    }

    private Builder(ObjectNode json) {
      this.json = json;
    }

    /** The http(s) URL Offload calls to run the task (a push task). */
    public Builder callbackUrl(String url) {
      return text("callbackUrl", url);
    }

    public Builder callbackUrl(URI url) {
      return callbackUrl(url == null ? null : url.toString());
    }

    /**
     * The name of the worker function that runs the task (a pull task, no {@code callbackUrl}):
     * workers lease it with {@code POST /v1/workers/lease}, such as {@code "send-email"}.
     */
    public Builder name(String name) {
      return text("name", name);
    }

    /** The HTTP method of the call: GET, POST (default), PUT, PATCH or DELETE. */
    public Builder method(String method) {
      return text("method", method);
    }

    /** Adds a header to the call (not {@code Content-Type}: see {@link #body(String, String)}). */
    public Builder header(String name, String value) {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(value, "value");
      ObjectNode headers =
          json.get("headers") instanceof ObjectNode existing ? existing : json.putObject("headers");
      headers.put(name, value);
      return this;
    }

    /** Replaces all headers of the call. */
    public Builder headers(Map<String, String> headers) {
      json.remove("headers");
      Objects.requireNonNull(headers, "headers").forEach(this::header);
      return this;
    }

    /**
     * The JSON body of the call ({@code Content-Type: application/json}): any value Jackson can
     * write — a record, a {@code Map}, a {@link JsonNode}, a string. Null removes it. Throws {@link
     * IllegalArgumentException} when Jackson cannot write the value.
     */
    public Builder payload(Object payload) {
      if (payload == null) return remove("payload");
      json.set("payload", Json.tree(payload));
      return this;
    }

    /**
     * The JSON body of the call as JSON text; throws {@link IllegalArgumentException} when it is
     * not JSON.
     */
    public Builder payloadJson(String jsonText) {
      Objects.requireNonNull(jsonText, "jsonText");
      try {
        JsonNode parsed = Json.parse(jsonText);
        if (parsed == null || parsed.isMissingNode())
          throw new IllegalArgumentException("payloadJson is empty");
        json.set("payload", parsed);
      } catch (IOException e) {
        throw new IllegalArgumentException("payloadJson is not valid JSON: " + e.getMessage(), e);
      }
      return this;
    }

    /** A text body of the call, sent as {@code text/plain; charset=utf-8}. */
    public Builder body(String body) {
      return text("body", body).remove("contentType");
    }

    /** A body of the call that is not JSON, with its content type ({@code "text/csv"}). */
    public Builder body(String body, String contentType) {
      return text("body", body).text("contentType", contentType);
    }

    /** The queue (created on first use); {@code "default"} when unset. */
    public Builder queue(String queue) {
      return text("queue", queue);
    }

    /**
     * Start no sooner than this long after the server accepts the task (status {@code scheduled}).
     */
    public Builder delay(Duration delay) {
      if (delay == null) return remove("delay");
      json.put("delay", WireDurations.format(WireDurations.requireNonNegative(delay, "delay")));
      return this;
    }

    /** Start no sooner than this instant (status {@code scheduled}). */
    public Builder runAt(Instant runAt) {
      return text("runAt", runAt == null ? null : runAt.toString());
    }

    /** Retries after the first attempt (server default 3, at most 100); 0 runs the task once. */
    public Builder retries(int retries) {
      if (retries < 0)
        throw new IllegalArgumentException("retries must not be negative, got " + retries);
      json.put("retries", retries);
      return this;
    }

    public Builder backoff(Backoff backoff) {
      if (backoff == null) return remove("backoff");
      json.set("backoff", backoff.toJson());
      return this;
    }

    /** The limit of each attempt (server default 1 h, at most 7 d). */
    public Builder timeout(Duration timeout) {
      if (timeout == null) return remove("timeout");
      json.put(
          "timeout", WireDurations.format(WireDurations.requireNonNegative(timeout, "timeout")));
      return this;
    }

    /** Attempts may run for any time. */
    public Builder noTimeout() {
      json.put("timeout", "none");
      return this;
    }

    /**
     * How long the task is kept once finished (1 minute to 3650 days), instead of its queue's or
     * the server's retention; null removes it.
     */
    public Builder retention(Duration retention) {
      if (retention == null) return remove("retention");
      json.put(
          "retention",
          WireDurations.format(WireDurations.requireNonNegative(retention, "retention")));
      return this;
    }

    /** The finished task is never deleted by retention (only by {@code tasks().delete}). */
    public Builder retainForever() {
      json.put("retention", "forever");
      return this;
    }

    /** Offload POSTs the finished task here (signed) when it succeeds, fails or is cancelled. */
    public Builder webhookUrl(String url) {
      return text("webhookUrl", url);
    }

    public Builder webhookUrl(URI url) {
      return webhookUrl(url == null ? null : url.toString());
    }

    /**
     * Makes creates safe to repeat: within 24 h the same key and the same request give back the
     * first task ({@link Accepted#replayed()}); the same key with a different request is a 409.
     */
    public Builder idempotencyKey(String key) {
      return text("idempotencyKey", key);
    }

    /**
     * At most {@code keyConcurrency} tasks (1 to 1000) with this key run at once in the task's
     * queue, e.g. one per customer; tasks of other keys are not held back.
     */
    public Builder concurrencyKey(String key, int keyConcurrency) {
      text("concurrencyKey", key);
      if (key == null) return remove("keyConcurrency");
      json.put("keyConcurrency", keyConcurrency);
      return this;
    }

    /**
     * Seconds of head start (-86400 to 86400, default 0): among tasks that may run, the one with
     * the earliest {@code runAt - priority} goes first, so 60 runs ahead of a minute of backlog. It
     * never makes a task run before its {@code runAt}.
     */
    public Builder priority(int priority) {
      json.put("priority", priority);
      return this;
    }

    /**
     * How often the target may answer with {@code Offload-Continue} before the task fails (default
     * 10,000).
     */
    public Builder maxContinuations(int maxContinuations) {
      if (maxContinuations < 0)
        throw new IllegalArgumentException(
            "maxContinuations must be >= 0, got " + maxContinuations);
      json.put("maxContinuations", maxContinuations);
      return this;
    }

    /** Your own data, kept with the task and shown with it (at most 64 KiB of JSON). */
    public Builder metadata(Map<String, ?> metadata) {
      if (metadata == null) return remove("metadata");
      json.set("metadata", Json.tree(metadata));
      return this;
    }

    /**
     * Throws {@link IllegalStateException} unless exactly one of callbackUrl and name is set, or
     * when two options exclude each other.
     */
    public TaskRequest build() {
      if (json.has("callbackUrl") == json.has("name")) {
        throw new IllegalStateException(
            "give callbackUrl (a push task) or name (a pull task), exactly one");
      }
      if (json.has("payload") && json.has("body"))
        throw new IllegalStateException("give payload (JSON) or body (text), not both");
      if (json.has("delay") && json.has("runAt"))
        throw new IllegalStateException("give delay or runAt, not both");
      return new TaskRequest(canonical(json));
    }

    /**
     * The fields in one fixed order and the headers sorted by name: the server compares the text of
     * a request to tell a replay from a different request under the same idempotency key, so equal
     * requests must be equal text whatever order their options were set in.
     */
    private static ObjectNode canonical(ObjectNode json) {
      ObjectNode ordered = JsonNodeFactory.instance.objectNode();
      for (String field : FIELD_ORDER) {
        JsonNode value = json.get(field);
        if (value == null) continue;
        if (field.equals("headers")) {
          ObjectNode headers = ordered.putObject("headers");
          List<String> names = new ArrayList<>();
          value.fieldNames().forEachRemaining(names::add);
          names.stream().sorted().forEach(name -> headers.set(name, value.get(name)));
        } else {
          ordered.set(field, value.deepCopy());
        }
      }
      return ordered;
    }

    private Builder text(String field, String value) {
      if (value == null) return remove(field);
      json.put(field, value);
      return this;
    }

    private Builder remove(String field) {
      json.remove(field);
      return this;
    }
  }
}
