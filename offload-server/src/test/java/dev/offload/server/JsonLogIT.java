package dev.offload.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.offload.server.TestTarget.Reply;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --log-format json}: the jar as a process, its output read line by line as JSON. */
class JsonLogIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  private TestTarget target;
  private OffloadProcess server;

  @BeforeEach
  void start() throws Exception {
    target = new TestTarget().on("/work", Reply.ok("{}"));
    server =
        OffloadProcess.serve(
                "json-log",
                dir,
                OffloadProcess.freePort(),
                dir.resolve("data"),
                "--log-format",
                "json")
            .awaitUp("/readyz");
  }

  @AfterEach
  void stop() throws InterruptedException {
    if (server != null) server.terminate(Duration.ofSeconds(20));
    target.close();
  }

  private List<JsonNode> lines() throws IOException {
    List<JsonNode> lines = new ArrayList<>();
    String log = server.log();
    // Up to the last newline: the line after it may be half written.
    for (String line : log.substring(0, log.lastIndexOf('\n') + 1).split("\n")) {
      if (line.startsWith("{")) lines.add(JSON.readTree(line));
    }
    return lines;
  }

  private List<JsonNode> stateLines(String taskId) throws IOException {
    return lines().stream()
        .filter(
            l ->
                l.path("logger_name").asText().equals("dev.offload.state")
                    && l.path("taskId").asText().equals(taskId))
        .toList();
  }

  @Test
  void every_state_change_is_one_json_line_with_task_queue_attempt_and_outcome()
      throws IOException {
    RunningServer.Answer created =
        server.post(
            "/v1/tasks", "{\"callbackUrl\": \"" + target.url("/work") + "\", \"queue\": \"logs\"}");
    assertThat(created.status()).isEqualTo(202);
    String id = created.body().get("taskId").asText();
    String requestId = created.header("Offload-Request-Id");

    await().atMost(Duration.ofSeconds(20)).until(() -> stateLines(id).size() == 3);
    List<JsonNode> lines = stateLines(id);
    assertThat(lines)
        .extracting(l -> l.path("status").asText())
        .containsExactly("queued", "running", "succeeded");
    assertThat(lines).allSatisfy(l -> assertThat(l.path("queue").asText()).isEqualTo("logs"));
    JsonNode createdLine = lines.get(0);
    assertThat(createdLine.path("requestId").asText()).isEqualTo(requestId);
    JsonNode finished = lines.get(2);
    assertThat(finished.path("attempt").asInt()).isEqualTo(1);
    assertThat(finished.path("outcome").asText()).isEqualTo("succeeded");
    assertThat(finished.path("level").asText()).isEqualTo("INFO");
  }

  @Test
  void an_api_error_is_logged_once_with_its_request_id() throws IOException {
    RunningServer.Answer bad = server.post("/v1/tasks", "{\"callbackUrl\": \"not a url\"}");
    assertThat(bad.status()).isEqualTo(400);
    String requestId = bad.header("Offload-Request-Id");

    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> lines().stream().anyMatch(l -> l.path("requestId").asText().equals(requestId)));
    assertThat(lines())
        .filteredOn(l -> l.path("requestId").asText().equals(requestId))
        .singleElement()
        .satisfies(
            l -> {
              assertThat(l.path("status").asInt()).isEqualTo(400);
              assertThat(l.path("message").asText()).contains("POST /v1/tasks");
            });
  }

  @Test
  void a_line_says_why_an_attempt_ended_when_the_next_one_is_and_where_the_call_went()
      throws IOException {
    target.on("/down", Reply.status(503));
    String id =
        server
            .post(
                "/v1/tasks",
                "{\"callbackUrl\": \""
                    + target.url("/down")
                    + "\", \"retries\": 1,"
                    + " \"backoff\": {\"type\": \"fixed\", \"initial\": \"200ms\"}}")
            .body()
            .get("taskId")
            .asText();

    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                stateLines(id).stream().anyMatch(l -> l.path("status").asText().equals("failed")));
    List<JsonNode> ends = stateLines(id).stream().filter(l -> l.has("outcome")).toList();
    String host = "127.0.0.1:" + java.net.URI.create(target.url("/")).getPort();
    assertThat(ends)
        .hasSize(2)
        .allSatisfy(
            l -> {
              assertThat(l.path("statusCode").asInt()).isEqualTo(503);
              assertThat(l.path("target").asText()).isEqualTo(host);
            });
    JsonNode retrying = ends.get(0);
    assertThat(retrying.path("level").asText()).isEqualTo("INFO");
    assertThat(retrying.path("nextAttemptAt").asText()).matches("\\d{4}-.*Z");
    assertThat(retrying.path("message").asText())
        .isEqualTo(
            "task "
                + id
                + " attempt 1 in queue default ("
                + host
                + "): http_error (HTTP 503), retrying at "
                + retrying.path("nextAttemptAt").asText());
    JsonNode failed = ends.get(1);
    assertThat(failed.path("level").asText())
        .as("a task that finally failed is a warning")
        .isEqualTo("WARN");
    assertThat(failed.path("message").asText())
        .isEqualTo(
            "task "
                + id
                + " attempt 2 in queue default ("
                + host
                + "): http_error (HTTP 503), task failed");
    assertThat(lines())
        .extracting(l -> l.path("message").asText())
        .noneMatch(m -> m.matches(".*: (\\w+) -> \\1") || m.matches(".*(\\w+): \\1"));
  }

  @Test
  void a_refused_request_logs_its_problem_and_settings_changes_are_logged() throws IOException {
    RunningServer.Answer bad =
        server.post("/v1/tasks", "{\"callbackUrl\": \"not a url\", \"retries\": -1}");
    assertThat(bad.status()).isEqualTo(400);
    String requestId = bad.header("Offload-Request-Id");
    assertThat(
            server
                .send(
                    java.net.http.HttpRequest.newBuilder(
                            java.net.URI.create(server.url("/v1/queues/mail")))
                        .header("Content-Type", "application/json")
                        .PUT(
                            java.net.http.HttpRequest.BodyPublishers.ofString(
                                "{\"concurrency\": 3, \"paused\": true}")))
                .status())
        .isEqualTo(200);
    assertThat(
            server
                .send(
                    java.net.http.HttpRequest.newBuilder(
                            java.net.URI.create(server.url("/v1/schedules/nightly")))
                        .header("Content-Type", "application/json")
                        .PUT(
                            java.net.http.HttpRequest.BodyPublishers.ofString(
                                "{\"cron\": \"0 3 * * *\", \"task\": {\"callbackUrl\": \""
                                    + target.url("/work")
                                    + "\"}}")))
                .status())
        .isEqualTo(201);
    assertThat(server.post("/v1/schedules/nightly/pause", "").status()).isEqualTo(200);
    assertThat(server.post("/v1/schedules/nightly/resume", "").status()).isEqualTo(200);

    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                lines().stream()
                    .anyMatch(
                        l -> l.path("message").asText().startsWith("schedule nightly resumed")));
    assertThat(lines())
        .filteredOn(l -> l.path("requestId").asText().equals(requestId))
        .singleElement()
        .satisfies(
            l ->
                assertThat(l.path("message").asText())
                    .contains("answered 400: Invalid request", "callbackUrl: ", "retries: "));
    assertThat(lines())
        .extracting(l -> l.path("message").asText())
        .contains(
            "queue mail settings changed: concurrency 3, rate unlimited, burst 1, paused",
            "schedule nightly created: 0 3 * * * (UTC)",
            "schedule nightly paused: it fires no more until resumed",
            "schedule nightly resumed: it fires again from its next slot");
  }

  @Test
  void webhook_deliveries_and_failures_are_logged() throws IOException {
    target.on("/hook", Reply.ok("{}"));
    String nobody = "http://127.0.0.1:" + OffloadProcess.freePort() + "/hook";
    String delivered =
        server
            .post(
                "/v1/tasks",
                "{\"callbackUrl\": \""
                    + target.url("/work")
                    + "\", \"webhookUrl\": \""
                    + target.url("/hook")
                    + "\"}")
            .body()
            .get("taskId")
            .asText();
    String undelivered =
        server
            .post(
                "/v1/tasks",
                "{\"callbackUrl\": \""
                    + target.url("/work")
                    + "\", \"webhookUrl\": \""
                    + nobody
                    + "\"}")
            .body()
            .get("taskId")
            .asText();

    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                lines().stream()
                        .map(l -> l.path("message").asText())
                        .filter(
                            m ->
                                m.startsWith(
                                        "webhook of task "
                                            + delivered
                                            + " delivered to "
                                            + target.url("/hook")
                                            + " (attempt 1)")
                                    || m.startsWith(
                                        "webhook of task "
                                            + undelivered
                                            + " attempt 1 to "
                                            + nobody
                                            + " failed: "))
                        .count()
                    == 2);
  }
}
