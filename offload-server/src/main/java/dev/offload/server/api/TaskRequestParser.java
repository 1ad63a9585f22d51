package dev.offload.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.offload.net.TargetGuard;
import dev.offload.task.Backoff;
import dev.offload.task.NewTask;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** Validates one task object of a create request (docs/design.md: Tasks) into a {@link NewTask}. */
public final class TaskRequestParser {
  private static final Set<String> FIELDS =
      Set.of(
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
  private static final Set<String> BACKOFF_FIELDS =
      Set.of("type", "initial", "max", "factor", "jitter");
  private static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "PATCH", "DELETE");
  static final Pattern QUEUE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
  static final String QUEUE_SHAPE =
      "may hold letters, digits, '.', '_' and '-', starting with a letter or digit";

  /** Names of pull tasks' worker functions: a queue name that may also hold ':' and '/'. */
  static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:/-]*");

  static final String NAME_SHAPE =
      "may hold letters, digits, '.', '_', ':', '/' and '-', starting with a letter or digit";

  /** What only a call has: a pull task's worker gets the payload and nothing else. */
  private static final List<String> PUSH_ONLY = List.of("method", "headers", "body", "contentType");

  private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]{1,256}");

  /** {@code type/subtype} with parameters, as a Content-Type header value. */
  private static final Pattern MEDIA_TYPE =
      Pattern.compile(
          "[!#$%&'*+.^_`|~0-9A-Za-z-]+/[!#$%&'*+.^_`|~0-9A-Za-z-]+(\\s*;[^\\x00-\\x08\\x0a-\\x1f\\x7f]*)?");

  private static final Set<String> RESERVED_HEADERS =
      Set.of(
          "host",
          "content-length",
          "content-type",
          "transfer-encoding",
          "connection",
          "upgrade",
          "te",
          "trailer",
          "keep-alive",
          "user-agent");
  private static final int MAX_HEADERS = 64;
  private static final int MAX_HEADER_VALUE = 8_192;
  private static final int MAX_METADATA_BYTES = 64 * 1024;
  private static final Duration MAX_DELAY = Duration.ofDays(365);
  private static final Duration MAX_TIMEOUT = Duration.ofDays(7);
  private static final Duration MAX_BACKOFF = Duration.ofDays(7);

  private final long maxPayloadBytes;
  private final TargetGuard targetGuard;

  public TaskRequestParser(long maxPayloadBytes, TargetGuard targetGuard) {
    this.maxPayloadBytes = maxPayloadBytes;
    this.targetGuard = targetGuard;
  }

  /**
   * Reads one task; adds problems to {@code errors} and returns null when there are any. Throws a
   * 413 {@link ApiException} for a payload over the limit.
   */
  public NewTask parse(
      JsonNode json, String path, List<FieldError> errors, String idempotencyHeader, Instant now) {
    if (!(json instanceof ObjectNode object)) {
      errors.add(new FieldError(path.isEmpty() ? "(body)" : path, "must be a JSON object"));
      return null;
    }
    int before = errors.size();
    JsonFields f = new JsonFields(object, path, errors);
    f.rejectUnknown(FIELDS);
    NewTask.Builder task = NewTask.builder();

    if (f.has("callbackUrl") && f.has("name")) {
      f.error("name", "give callbackUrl (a push task) or name (a pull task for workers), not both");
    } else if (!f.has("callbackUrl") && !f.has("name")) {
      f.error("callbackUrl", "is required (or name, for a pull task run by workers)");
    } else if (f.has("name")) {
      task.name(f.string("name", 200, NAME, NAME_SHAPE));
      PUSH_ONLY.stream()
          .filter(f::has)
          .forEach(
              field ->
                  f.error(
                      field, "is only for push tasks (callbackUrl); a worker gets the payload"));
    }
    task.callbackUrl(target(f, "callbackUrl"));
    String method = f.string("method", 10, null, null);
    if (method != null && !METHODS.contains(method.toUpperCase(Locale.ROOT))) {
      f.error("method", "must be one of " + METHODS.stream().sorted().toList());
    } else if (method != null) {
      task.method(method.toUpperCase(Locale.ROOT));
    }
    task.headers(headers(f));
    body(f, task);
    String queue = f.string("queue", 100, QUEUE, QUEUE_SHAPE);
    if (queue != null) task.queue(queue);
    runAt(f, task, now);
    Integer retries = f.integer("retries", 0, 100);
    if (retries != null) task.retries(retries);
    Integer priority = f.integer("priority", -NewTask.MAX_PRIORITY, NewTask.MAX_PRIORITY);
    if (priority != null) task.priority(priority);
    Backoff backoff = backoff(f);
    if (backoff != null) task.backoff(backoff);
    timeout(f, task);
    task.webhookUrl(target(f, "webhookUrl"));
    String idempotencyKey = idempotencyKey(f, idempotencyHeader);
    task.idempotencyKey(idempotencyKey);
    concurrencyKey(f, task);
    task.retention(f.retention("retention"));
    Integer maxContinuations = f.integer("maxContinuations", 0, 1_000_000);
    if (maxContinuations != null) task.maxContinuations(maxContinuations);
    ObjectNode metadata = f.object("metadata");
    if (metadata != null) {
      String text = JsonBodies.text(metadata);
      if (text.getBytes(StandardCharsets.UTF_8).length > MAX_METADATA_BYTES) {
        f.error("metadata", "must be at most " + MAX_METADATA_BYTES + " bytes of JSON");
      }
      task.metadata(text);
    }
    if (errors.size() > before) return null;
    if (idempotencyKey == null) return task.build();
    ObjectNode hashed = canonical(object);
    hashed.remove("idempotencyKey");
    return task.requestHash(sha256(hashed.toString())).build();
  }

  /** A URL Offload will call, refused here already when the target guard would refuse the call. */
  private URI target(JsonFields f, String field) {
    URI url = f.url(field);
    if (url != null)
      targetGuard
          .refusal(url)
          .ifPresent(reason -> f.error(field, "is refused in production mode: " + reason));
    return url;
  }

  /**
   * The request with object keys sorted at every level, so that the idempotency check compares what
   * was asked for, not how the JSON was written.
   */
  private static ObjectNode canonical(ObjectNode object) {
    ObjectNode sorted = object.objectNode();
    List<String> names = new ArrayList<>();
    object.fieldNames().forEachRemaining(names::add);
    Collections.sort(names);
    for (String name : names) sorted.set(name, canonicalValue(object.get(name)));
    return sorted;
  }

  private static JsonNode canonicalValue(JsonNode node) {
    if (node instanceof ObjectNode nested) return canonical(nested);
    if (node instanceof ArrayNode array) {
      ArrayNode copy = array.arrayNode();
      array.forEach(item -> copy.add(canonicalValue(item)));
      return copy;
    }
    return node;
  }

  private Map<String, String> headers(JsonFields f) {
    ObjectNode headers = f.object("headers");
    Map<String, String> result = new LinkedHashMap<>();
    if (headers == null) return result;
    if (headers.size() > MAX_HEADERS) f.error("headers", "at most " + MAX_HEADERS + " headers");
    headers
        .fields()
        .forEachRemaining(
            entry -> {
              String name = entry.getKey();
              String lower = name.toLowerCase(Locale.ROOT);
              JsonNode value = entry.getValue();
              String field = "headers." + name;
              if (!HEADER_NAME.matcher(name).matches())
                f.error(field, "is not a valid HTTP header name (1 to 256 token characters)");
              else if (RESERVED_HEADERS.contains(lower)) {
                f.error(
                    field,
                    lower.equals("content-type")
                        ? "set contentType instead"
                        : "is set by Offload and cannot be given");
              } else if (lower.startsWith("offload-") || lower.startsWith("webhook-")) {
                f.error(field, "Offload-* and webhook-* headers are Offload's own");
              } else if (!value.isTextual()) f.error(field, "must be a string");
              else if (value.textValue().length() > MAX_HEADER_VALUE
                  || value.textValue().chars().anyMatch(c -> c < 0x20 && c != '\t' || c == 0x7f)) {
                f.error(
                    field,
                    "must be at most "
                        + MAX_HEADER_VALUE
                        + " characters without control characters");
              } else result.put(name, value.textValue());
            });
    return result;
  }

  private void body(JsonFields f, NewTask.Builder task) {
    JsonNode payload = f.node("payload");
    if (payload != null && f.has("body")) {
      f.error("body", "give payload (JSON) or body (text), not both");
      return;
    }
    if (f.has("contentType") && payload != null)
      f.error("contentType", "goes with body; payload is always application/json");
    String text =
        payload != null
            ? JsonBodies.text(payload)
            : f.string("body", Integer.MAX_VALUE, null, null);
    if (text == null) {
      if (f.has("contentType")) f.error("contentType", "goes with body");
      return;
    }
    if (payload == null && text.indexOf(0) >= 0) {
      f.error("body", JsonFields.NO_NUL_RULE + "; send binary data base64-encoded");
      return;
    }
    long bytes = text.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > maxPayloadBytes) {
      String field = f.pathOf(payload != null ? "payload" : "body");
      throw new ApiException(
          413,
          "Payload too large",
          field + " is " + bytes + " bytes; the limit is " + maxPayloadBytes + " (--max-payload)",
          List.of(new FieldError(field, "must be at most " + maxPayloadBytes + " bytes")));
    }
    task.body(text);
    if (payload == null) {
      String contentType =
          f.string(
              "contentType",
              200,
              MEDIA_TYPE,
              "must be a media type such as \"text/csv; charset=utf-8\"");
      task.contentType(contentType == null ? "text/plain; charset=utf-8" : contentType);
    }
  }

  private static void runAt(JsonFields f, NewTask.Builder task, Instant now) {
    if (f.has("delay") && f.has("runAt")) {
      f.error("delay", "give delay or runAt, not both");
      return;
    }
    Duration delay = f.duration("delay", Duration.ZERO, MAX_DELAY);
    if (delay != null) task.runAt(now.plus(delay));
    Instant runAt = f.instant("runAt");
    if (runAt != null && runAt.isAfter(now.plus(MAX_DELAY)))
      f.error("runAt", "must be within " + MAX_DELAY.toDays() + " days");
    else if (runAt != null) task.runAt(runAt);
  }

  private static void timeout(JsonFields f, NewTask.Builder task) {
    JsonNode node = f.node("timeout");
    if (node != null && node.isTextual() && node.textValue().equals("none")) {
      task.timeout(null);
      return;
    }
    Duration timeout = f.duration("timeout", Duration.ofMillis(1), MAX_TIMEOUT);
    if (timeout != null) task.timeout(timeout);
  }

  private static void concurrencyKey(JsonFields f, NewTask.Builder task) {
    String key = f.string("concurrencyKey", 200, null, null);
    Integer limit = f.integer("keyConcurrency", 1, 1_000);
    if (limit != null && !f.has("concurrencyKey"))
      f.error("keyConcurrency", "goes with concurrencyKey");
    task.concurrencyKey(key);
    if (limit != null) task.keyConcurrency(limit);
  }

  private static Backoff backoff(JsonFields f) {
    JsonNode node = f.node("backoff");
    if (node == null) return null;
    if (node.isTextual()) {
      Backoff.Type type = backoffType(f, "backoff", node.textValue());
      return type == null ? null : Backoff.of(type);
    }
    if (!node.isObject()) {
      f.error("backoff", "must be \"exponential\", \"linear\", \"fixed\" or an object");
      return null;
    }
    JsonFields b = new JsonFields((ObjectNode) node, f.pathOf("backoff"), f.errors());
    int before = f.errors().size();
    b.rejectUnknown(BACKOFF_FIELDS);
    String typeText = b.string("type", 20, null, null);
    Backoff.Type type =
        typeText == null ? Backoff.Type.EXPONENTIAL : backoffType(b, "type", typeText);
    Duration initial = b.duration("initial", Duration.ZERO, MAX_BACKOFF);
    Duration max = b.duration("max", Duration.ZERO, MAX_BACKOFF);
    Double factor = b.number("factor", 1, 100);
    Boolean jitter = b.bool("jitter");
    Duration effectiveInitial = initial == null ? Backoff.DEFAULT_INITIAL : initial;
    Duration effectiveMax = max == null ? Backoff.DEFAULT_MAX : max;
    if (effectiveMax.compareTo(effectiveInitial) < 0)
      b.error("max", "must not be less than initial");
    if (f.errors().size() > before) return null;
    return new Backoff(
        type,
        effectiveInitial,
        effectiveMax,
        factor == null ? Backoff.DEFAULT_FACTOR : factor,
        jitter == null || jitter);
  }

  private static Backoff.Type backoffType(JsonFields f, String field, String text) {
    for (Backoff.Type type : Backoff.Type.values()) {
      if (type.wire().equals(text)) return type;
    }
    f.error(field, "must be \"exponential\", \"linear\" or \"fixed\", got \"" + text + "\"");
    return null;
  }

  private static String idempotencyKey(JsonFields f, String header) {
    String body =
        f.string("idempotencyKey", 255, JsonFields.NO_CONTROL, JsonFields.NO_CONTROL_RULE);
    if (header != null && (header.isEmpty() || header.length() > 255)) {
      f.error("Idempotency-Key", "header must be 1 to 255 characters long");
      return null;
    }
    if (header != null && body != null && !header.equals(body)) {
      f.error("idempotencyKey", "differs from the Idempotency-Key header");
      return null;
    }
    return header != null ? header : body;
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }
}
