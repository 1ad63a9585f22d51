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
    server = OffloadProcess.serve("json-log", dir, OffloadProcess.freePort(), dir.resolve("data"), "--log-format", "json")
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
        .filter(l -> l.path("logger_name").asText().equals("dev.offload.state") && l.path("taskId").asText().equals(taskId))
        .toList();
  }

  @Test
  void every_state_change_is_one_json_line_with_task_queue_attempt_and_outcome() throws IOException {
    RunningServer.Answer created = server.post("/v1/tasks", "{\"callbackUrl\": \"" + target.url("/work") + "\", \"queue\": \"logs\"}");
    assertThat(created.status()).isEqualTo(202);
    String id = created.body().get("taskId").asText();
    String requestId = created.header("Offload-Request-Id");

    await().atMost(Duration.ofSeconds(20)).until(() -> stateLines(id).size() == 3);
    List<JsonNode> lines = stateLines(id);
    assertThat(lines).extracting(l -> l.path("status").asText()).containsExactly("queued", "running", "succeeded");
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

    await().atMost(Duration.ofSeconds(20)).until(() -> lines().stream().anyMatch(l -> l.path("requestId").asText().equals(requestId)));
    assertThat(lines()).filteredOn(l -> l.path("requestId").asText().equals(requestId)).singleElement()
        .satisfies(l -> {
          assertThat(l.path("status").asInt()).isEqualTo(400);
          assertThat(l.path("message").asText()).contains("POST /v1/tasks");
        });
  }
}
