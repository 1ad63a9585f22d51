package dev.offload.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The hand-written OpenAPI document is valid OpenAPI 3.1, its examples fit it, and its checker
 * catches drift.
 */
class OpenApiDocumentTest {
  private static final String TASK_ID = "tsk_01JDQ5V8Z3K7M2N4P6R8S0T2V4";
  private final ApiContract contract = ApiContract.get();

  @Test
  void the_document_is_valid_openapi_3_1() {
    // The OpenAPI Initiative's schemas of 3.1 documents, kept in the test resources: nothing is
    // fetched.
    Schema openApi31 =
        SchemaRegistry.withDefaultDialect(
                SpecificationVersion.DRAFT_2020_12,
                builder ->
                    builder.schemaIdResolvers(
                        resolvers ->
                            resolvers.mapPrefix(
                                "https://spec.openapis.org/oas/3.1", "classpath:oas/3.1")))
            .getSchema(
                SchemaLocation.of("https://spec.openapis.org/oas/3.1/schema-base/2022-10-07"));

    assertThat(openApi31.validate(contract.document()).stream().map(Object::toString)).isEmpty();
  }

  @Test
  void every_reference_points_at_something() {
    List<String> dangling = new ArrayList<>();
    references(contract.document(), dangling);

    assertThat(dangling).isEmpty();
  }

  @Test
  void every_example_fits_its_schema() {
    List<String> problems = new ArrayList<>();
    examples(contract.document(), "", problems);

    assertThat(problems).isEmpty();
  }

  @Test
  void a_documented_answer_passes() {
    assertThat(
            contract.check(
                exchange(
                    "POST",
                    "/v1/tasks",
                    null,
                    "{\"callbackUrl\":\"https://example.com/x\"}",
                    202,
                    Map.of("Location", List.of("/v1/tasks/" + TASK_ID)),
                    "{\"taskId\":\""
                        + TASK_ID
                        + "\",\"status\":\"queued\",\"statusUrl\":\"/v1/tasks/"
                        + TASK_ID
                        + "\"}")))
        .isEmpty();
  }

  @Test
  void a_field_the_document_lacks_is_a_mismatch() {
    assertThat(
            contract.check(
                exchange(
                    "POST",
                    "/v1/tasks",
                    null,
                    "{\"callbackUrl\":\"https://example.com/x\"}",
                    202,
                    Map.of(),
                    "{\"taskId\":\""
                        + TASK_ID
                        + "\",\"status\":\"queued\",\"statusUrl\":\"/v1/tasks/"
                        + TASK_ID
                        + "\",\"extra\":1}")))
        .singleElement()
        .asString()
        .contains("extra");
  }

  @Test
  void an_accepted_request_the_document_calls_invalid_is_a_mismatch() {
    assertThat(
            contract.check(
                exchange(
                    "POST",
                    "/v1/tasks",
                    null,
                    "{\"callbackUrl\":\"https://example.com/x\",\"surprise\":true}",
                    202,
                    Map.of(),
                    "{\"taskId\":\""
                        + TASK_ID
                        + "\",\"status\":\"queued\",\"statusUrl\":\"/v1/tasks/"
                        + TASK_ID
                        + "\"}")))
        .singleElement()
        .asString()
        .contains("calls invalid")
        .contains("surprise");
  }

  @Test
  void a_refused_invalid_request_is_no_mismatch() {
    assertThat(
            contract.check(
                exchange(
                    "GET",
                    "/v1/tasks",
                    "limit=0&bogus=1",
                    null,
                    400,
                    Map.of(),
                    problem(400, "Invalid request"))))
        .isEmpty();
  }

  @Test
  void a_status_the_operation_does_not_document_is_a_mismatch() {
    assertThat(
            contract.check(
                exchange(
                    "GET",
                    "/v1/tasks/" + TASK_ID,
                    null,
                    null,
                    410,
                    Map.of(),
                    problem(410, "Gone"))))
        .singleElement()
        .asString()
        .contains("does not document status 410");
  }

  @Test
  void a_route_the_document_lacks_must_be_refused() {
    assertThat(
            contract.check(
                exchange(
                    "GET", "/v1/secret", null, null, 404, Map.of(), problem(404, "Not found"))))
        .isEmpty();
    assertThat(contract.check(exchange("GET", "/v1/secret", null, null, 200, Map.of(), "{}")))
        .singleElement()
        .asString()
        .contains("no operation GET /v1/secret");
  }

  @Test
  void a_missing_required_header_is_a_mismatch() {
    Map<String, List<String>> none = Map.of();
    assertThat(
            contract.check(
                new Exchange(
                    "GET",
                    "/healthz",
                    null,
                    none,
                    new byte[0],
                    200,
                    Map.of("Content-Type", List.of("application/json")),
                    "{\"status\":\"ok\"}".getBytes(StandardCharsets.UTF_8))))
        .singleElement()
        .asString()
        .contains("Offload-Request-Id");
  }

  @Test
  void a_call_to_a_target_without_its_offload_headers_is_a_mismatch() {
    Map<String, List<String>> headers =
        new java.util.HashMap<>(
            Map.of(
                "Offload-Task-Id",
                List.of(TASK_ID),
                "Offload-Attempt",
                List.of("1"),
                "Offload-Queue",
                List.of("default"),
                "Offload-Task-Token",
                List.of("t0k"),
                "User-Agent",
                List.of("Offload/1.0"),
                "Content-Type",
                List.of("text/csv")));
    assertThat(contract.checkCall("taskCall", headers, "a,b".getBytes(StandardCharsets.UTF_8)))
        .isEmpty();

    headers.remove("Offload-Attempt");
    assertThat(contract.checkCall("taskCall", headers, new byte[0]))
        .singleElement()
        .asString()
        .contains("Offload-Attempt");
  }

  @Test
  void a_completion_webhook_is_held_to_its_body() {
    Map<String, List<String>> headers =
        Map.of(
            "Offload-Task-Id",
            List.of(TASK_ID),
            "Offload-Event",
            List.of("task.failed"),
            "User-Agent",
            List.of("Offload/1.0"),
            "Content-Type",
            List.of("application/json"));
    String body =
        "{\"taskId\":\""
            + TASK_ID
            + "\",\"status\":\"failed\",\"result\":null,\"lastError\":\"HTTP 500\","
            + "\"attempts\":4,\"metadata\":null,\"createdAt\":\"2026-12-01T09:00:00Z\",\"finishedAt\":\"2026-12-01T09:01:00Z\"}";
    assertThat(contract.checkCall("taskFinished", headers, body.getBytes(StandardCharsets.UTF_8)))
        .isEmpty();
    assertThat(
            contract.checkCall(
                "taskFinished",
                headers,
                body.replace("\"attempts\":4,", "").getBytes(StandardCharsets.UTF_8)))
        .singleElement()
        .asString()
        .contains("attempts");
  }

  private static String problem(int status, String title) {
    return "{\"type\":\"about:blank\",\"title\":\""
        + title
        + "\",\"status\":"
        + status
        + ",\"detail\":\"d\"}";
  }

  private static Exchange exchange(
      String method,
      String path,
      String query,
      String body,
      int status,
      Map<String, List<String>> headers,
      String answer) {
    Map<String, List<String>> responseHeaders = new java.util.HashMap<>(headers);
    responseHeaders.put("Offload-Request-Id", List.of("req_0123456789abcdef0123456789abcdef"));
    responseHeaders.put(
        "Content-Type", List.of(status >= 400 ? "application/problem+json" : "application/json"));
    return new Exchange(
        method,
        path,
        query,
        body == null ? Map.of() : Map.of("Content-Type", List.of("application/json")),
        body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8),
        status,
        responseHeaders,
        answer.getBytes(StandardCharsets.UTF_8));
  }

  private void references(JsonNode node, List<String> dangling) {
    if (node.isObject() && node.has("$ref")) {
      String ref = node.get("$ref").asText();
      if (!ref.startsWith("#/") || contract.document().at(ref.substring(1)).isMissingNode())
        dangling.add(ref);
    }
    node.forEach(child -> references(child, dangling));
  }

  /** Media types, parameters and headers with a schema and an example (or examples). */
  private void examples(JsonNode node, String where, List<String> problems) {
    if (node.isObject() && node.has("schema") && node.get("schema").isObject()) {
      JsonNode schema = node.get("schema");
      List<JsonNode> values = new ArrayList<>();
      if (node.has("example")) values.add(node.get("example"));
      node.path("examples").forEach(example -> values.add(example.path("value")));
      for (JsonNode value : values) {
        contract.validate(schema, value).forEach(problem -> problems.add(where + ": " + problem));
      }
    }
    node.properties()
        .forEach(entry -> examples(entry.getValue(), where + "/" + entry.getKey(), problems));
    if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) examples(node.get(i), where + "/" + i, problems);
    }
  }
}
