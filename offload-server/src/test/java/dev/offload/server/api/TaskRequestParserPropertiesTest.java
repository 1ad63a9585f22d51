package dev.offload.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.offload.net.TargetGuard;
import dev.offload.task.Durations;
import dev.offload.task.NewTask;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/**
 * {@link TaskRequestParser} on arbitrary JSON: the outcome is a task or the parser's own refusal
 * (field errors, or a 4xx {@link ApiException}), never another exception; valid tasks read back
 * exactly what was sent.
 */
class TaskRequestParserPropertiesTest {
  static final List<String> FIELDS =
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
          "type",
          "initial",
          "max",
          "factor",
          "jitter",
          "X-Header");
  private static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private final TaskRequestParser parser = new TaskRequestParser(64 * 1024, TargetGuard.off());

  @Property(tries = 500)
  void any_json_tree_is_a_task_or_a_refusal(
      @ForAll("trees") JsonNode json, @ForAll("idempotencyHeaders") String header) {
    outcome(json, header);
  }

  @Property(tries = 800)
  void any_value_in_any_field_is_a_task_or_a_refusal_naming_that_field(
      @ForAll("fields") String field, @ForAll("trees") JsonNode value) {
    ObjectNode task = NODES.objectNode().put("callbackUrl", "http://127.0.0.1:9/x");
    task.set(field, value);
    for (FieldError error : outcome(task, null)) {
      assertThat(error.field())
          .as("the error of %s=%s", field, value)
          .satisfiesAnyOf(
              name -> assertThat(name).isEqualTo(field),
              name -> assertThat(name).startsWith(field + "."));
    }
  }

  @Property(tries = 1_000)
  void any_string_in_any_field_is_a_task_or_a_refusal(
      @ForAll("fields") String field, @ForAll String text) {
    outcome(NODES.objectNode().put("callbackUrl", "http://127.0.0.1:9/x").put(field, text), null);
  }

  @Property(tries = 300)
  void a_valid_task_reads_back_as_sent(
      @ForAll("queues") String queue,
      @ForAll @IntRange(max = 100) int retries,
      @ForAll @LongRange(max = 365L * 86_400_000) long delayMillis,
      @ForAll @LongRange(min = 1, max = 7L * 86_400_000) long timeoutMillis,
      @ForAll("methods") String method,
      @ForAll("headerMaps") Map<String, String> headers,
      @ForAll("payloads") JsonNode payload,
      @ForAll("keys") String idempotencyKey,
      @ForAll("metadata") ObjectNode metadata) {
    ObjectNode json =
        NODES
            .objectNode()
            .put("callbackUrl", "https://example.com/hooks?x=1")
            .put("queue", queue)
            .put("retries", retries)
            .put("delay", Durations.format(Duration.ofMillis(delayMillis)))
            .put("timeout", Durations.format(Duration.ofMillis(timeoutMillis)))
            .put("method", method)
            .put("idempotencyKey", idempotencyKey);
    headers.forEach(json.putObject("headers")::put);
    json.set("payload", payload);
    json.set("metadata", metadata);

    List<FieldError> errors = new ArrayList<>();
    NewTask task = parser.parse(json, "", errors, null, NOW);

    assertThat(errors).isEmpty();
    assertThat(task.callbackUrl()).hasToString("https://example.com/hooks?x=1");
    assertThat(task.queue()).isEqualTo(queue);
    assertThat(task.retries()).isEqualTo(retries);
    assertThat(task.runAt()).isEqualTo(NOW.plusMillis(delayMillis));
    assertThat(task.timeout()).isEqualTo(Duration.ofMillis(timeoutMillis));
    assertThat(task.method()).isEqualTo(method.toUpperCase(Locale.ROOT));
    assertThat(task.headers()).isEqualTo(headers);
    assertThat(task.body()).isEqualTo(payload.toString());
    assertThat(task.idempotencyKey()).isEqualTo(idempotencyKey);
    assertThat(task.requestHash()).hasSize(64);
    assertThat(task.metadata()).isEqualTo(metadata.toString());
  }

  @Provide
  Arbitrary<JsonNode> trees() {
    return JsonTrees.trees(FIELDS, 3);
  }

  @Provide
  Arbitrary<JsonNode> payloads() {
    return trees().filter(json -> !json.isNull());
  }

  @Provide
  Arbitrary<String> fields() {
    return Arbitraries.of(FIELDS.subList(0, 16));
  }

  @Provide
  Arbitrary<String> idempotencyHeaders() {
    return Arbitraries.strings().ofMaxLength(300).injectNull(0.5);
  }

  @Provide
  Arbitrary<String> queues() {
    return Combinators.combine(
            Arbitraries.strings().alpha().numeric().ofLength(1),
            Arbitraries.strings().alpha().numeric().withChars("._-").ofMaxLength(99))
        .as(String::concat);
  }

  @Provide
  Arbitrary<String> methods() {
    return Arbitraries.of("GET", "POST", "put", "Patch", "DELETE");
  }

  @Provide
  Arbitrary<Map<String, String>> headerMaps() {
    Arbitrary<String> names =
        Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(20).map(name -> "X-" + name);
    Arbitrary<String> values =
        Arbitraries.strings()
            .withCharRange(' ', '~')
            .withChars('\t', '\u00e9', '\u20ac')
            .ofMaxLength(100);
    return Arbitraries.maps(names, values).ofMaxSize(64);
  }

  @Provide
  Arbitrary<String> keys() {
    return Arbitraries.strings()
        .withCharRange(' ', '~')
        .withCharRange('\u00a0', '\ud7ff')
        .ofMinLength(1)
        .ofMaxLength(255);
  }

  @Provide
  Arbitrary<ObjectNode> metadata() {
    return Arbitraries.maps(Arbitraries.strings().ofMaxLength(10), JsonTrees.leaves())
        .ofMaxSize(5)
        .map(
            fields -> {
              ObjectNode object = NODES.objectNode();
              fields.forEach(object::set);
              return object;
            });
  }

  /**
   * The parser's outcome, checked to be one it may give: returns the field errors (empty for a
   * task).
   */
  private List<FieldError> outcome(JsonNode json, String idempotencyHeader) {
    List<FieldError> errors = new ArrayList<>();
    NewTask task;
    try {
      task = parser.parse(json, "", errors, idempotencyHeader, NOW);
    } catch (ApiException refused) {
      assertThat(refused.status()).isBetween(400, 499);
      assertThat(refused.errors()).isNotEmpty();
      return refused.errors();
    }
    if (task == null) assertThat(errors).as("a null task comes with errors").isNotEmpty();
    else assertThat(errors).as("a task comes without errors").isEmpty();
    errors.forEach(error -> assertThat(error.message()).isNotBlank());
    return errors;
  }
}
