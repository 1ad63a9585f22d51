package dev.offload.schedule;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.offload.task.Backoff;
import dev.offload.task.Continuation;
import dev.offload.task.Durations;
import dev.offload.task.NewTask;
import dev.offload.task.Retention;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A {@link TaskTemplate} in the JSON shape of a task request, every field spelled out. The API
 * shows templates this way and the store keeps them this way; {@link #read} only reads what {@link
 * #write} wrote (requests are validated by the server's task parser).
 */
public final class TaskTemplateJson {
  private final ObjectMapper mapper;

  public TaskTemplateJson(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  public ObjectNode write(TaskTemplate t) {
    ObjectNode json = mapper.createObjectNode();
    json.put("callbackUrl", t.callbackUrl().toString());
    json.put("method", t.method());
    ObjectNode headers = json.putObject("headers");
    t.headers().entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(h -> headers.put(h.getKey(), h.getValue()));
    if (t.body() != null && t.contentType() == null) json.set("payload", parse(t.body()));
    if (t.contentType() != null) json.put("body", t.body()).put("contentType", t.contentType());
    json.put("queue", t.queue());
    json.put("retries", t.retries());
    json.putObject("backoff")
        .put("type", t.backoff().type().wire())
        .put("initial", Durations.format(t.backoff().initial()))
        .put("max", Durations.format(t.backoff().max()))
        .put("factor", t.backoff().factor())
        .put("jitter", t.backoff().jitter());
    json.put("timeout", t.timeout() == null ? "none" : Durations.format(t.timeout()));
    if (t.webhookUrl() != null) json.put("webhookUrl", t.webhookUrl().toString());
    if (t.metadata() != null) json.set("metadata", parse(t.metadata()));
    if (t.concurrencyKey() != null)
      json.put("concurrencyKey", t.concurrencyKey()).put("keyConcurrency", t.keyConcurrency());
    json.put("priority", t.priority());
    if (t.retention() != null) json.put("retention", t.retention().toString());
    if (t.maxContinuations() != Continuation.DEFAULT_MAX)
      json.put("maxContinuations", t.maxContinuations());
    return json;
  }

  public TaskTemplate read(String text) {
    JsonNode json = parse(text);
    Map<String, String> headers = new LinkedHashMap<>();
    json.path("headers")
        .properties()
        .forEach(h -> headers.put(h.getKey(), h.getValue().textValue()));
    JsonNode b = json.get("backoff");
    Backoff backoff =
        new Backoff(
            Backoff.Type.valueOf(b.get("type").textValue().toUpperCase(java.util.Locale.ROOT)),
            Durations.parse(b.get("initial").textValue()),
            Durations.parse(b.get("max").textValue()),
            b.get("factor").doubleValue(),
            b.get("jitter").booleanValue());
    String timeout = json.get("timeout").textValue();
    return new TaskTemplate(
        json.get("queue").textValue(),
        URI.create(json.get("callbackUrl").textValue()),
        json.get("method").textValue(),
        headers,
        json.has("payload") ? json.get("payload").toString() : text(json, "body"),
        text(json, "contentType"),
        json.get("retries").intValue(),
        backoff,
        timeout.equals("none") ? null : Durations.parse(timeout),
        json.has("webhookUrl") ? URI.create(json.get("webhookUrl").textValue()) : null,
        json.has("metadata") ? json.get("metadata").toString() : null,
        text(json, "concurrencyKey"),
        json.path("keyConcurrency").asInt(NewTask.DEFAULT_KEY_CONCURRENCY),
        json.path("priority").asInt(0),
        json.has("retention") ? Retention.parse(json.get("retention").textValue()) : null,
        json.path("maxContinuations").asInt(Continuation.DEFAULT_MAX));
  }

  private static String text(JsonNode json, String field) {
    return json.has(field) ? json.get(field).textValue() : null;
  }

  private JsonNode parse(String text) {
    try {
      return mapper.readTree(text);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored JSON does not parse: " + e.getOriginalMessage(), e);
    }
  }
}
