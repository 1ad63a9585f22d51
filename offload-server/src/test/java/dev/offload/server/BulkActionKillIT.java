package dev.offload.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bulk action whose server is killed with SIGKILL mid-way goes on from its saved cursor in the
 * next process, and acts on no task twice (design.md: bulk actions).
 */
class BulkActionKillIT {
  private static final int TASKS = 3_000;

  @TempDir Path tempDir;
  private final List<OffloadProcess> processes = new ArrayList<>();

  @RegisterExtension
  final TestExecutionExceptionHandler printServerOutput =
      (context, failure) -> {
        processes.forEach(OffloadProcess::printLog);
        throw failure;
      };

  @AfterEach
  void stopEverything() {
    processes.forEach(OffloadProcess::close);
  }

  @Test
  void a_killed_server_resumes_the_action_without_acting_twice() throws Exception {
    Path dataDir = tempDir.resolve("data");
    OffloadProcess first = serve("first", dataDir);
    String task =
        "{\"callbackUrl\":\"http://127.0.0.1:9/later\",\"queue\":\"kill\",\"delay\":\"1h\"}";
    for (int created = 0; created < TASKS; created += 1_000) {
      String batch = "{\"tasks\":[" + String.join(",", Collections.nCopies(1_000, task)) + "]}";
      assertThat(first.post("/v1/tasks/batch", batch).status()).isEqualTo(202);
    }
    // Filtered by queue only: a task cancelled twice would count as failed (already finished).
    RunningServer.Answer started =
        first.post("/v1/bulk-actions", "{\"action\":\"cancel\",\"filter\":{\"queue\":\"kill\"}}");
    assertThat(started.status()).as(started.text()).isEqualTo(202);
    String id = started.body().path("actionId").asText();
    Awaitility.await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(5))
        .until(() -> first.get("/v1/bulk-actions/" + id).body().path("done").asLong() > 0);

    first.kill();
    OffloadProcess second = serve("second", dataDir);
    long doneAtRestart = second.get("/v1/bulk-actions/" + id).body().path("done").asLong();
    Awaitility.await()
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofMillis(100))
        .until(
            () ->
                !second
                    .get("/v1/bulk-actions/" + id)
                    .body()
                    .path("status")
                    .asText()
                    .equals("running"));

    JsonNode action = second.get("/v1/bulk-actions/" + id).body();
    assertThat(doneAtRestart).as("killed mid-way").isBetween(1L, TASKS - 1L);
    assertThat(action.path("status").asText()).isEqualTo("succeeded");
    assertThat(action.path("matched").asLong()).isEqualTo(TASKS);
    assertThat(action.path("done").asLong()).isEqualTo(TASKS);
    assertThat(action.path("failed").asLong()).as("no task visited twice").isZero();
    RunningServer.Answer cancelled =
        second.post(
            "/v1/bulk-actions",
            "{\"action\":\"retry\",\"filter\":{\"queue\":\"kill\",\"status\":\"cancelled\"},\"dryRun\":true}");
    assertThat(cancelled.body().path("matched").asLong()).isEqualTo(TASKS);
  }

  private OffloadProcess serve(String name, Path dataDir) throws Exception {
    OffloadProcess process =
        OffloadProcess.serve(name, tempDir, OffloadProcess.freePort(), dataDir);
    processes.add(process);
    return process.awaitUp("/readyz");
  }
}
