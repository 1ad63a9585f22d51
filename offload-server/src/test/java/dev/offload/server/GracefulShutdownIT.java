package dev.offload.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.offload.server.TestTarget.Reply;
import dev.offload.testing.TestPostgres;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM: a node stops claiming, lets its calls finish within the grace period, then hands the
 * rest over.
 */
class GracefulShutdownIT {
  @TempDir Path dir;
  private final List<OffloadProcess> nodes = new ArrayList<>();
  private TestTarget target;
  private String databaseUrl;

  @AfterEach
  void stop() {
    nodes.forEach(OffloadProcess::close);
    if (target != null) target.close();
    if (databaseUrl != null) TestPostgres.dropSchema(databaseUrl);
  }

  private OffloadProcess node(String name, String grace) throws Exception {
    OffloadProcess node =
        OffloadProcess.serve(
                name,
                dir,
                OffloadProcess.freePort(),
                dir.resolve(name),
                "--database-url",
                databaseUrl,
                "--lease-timeout",
                "60s",
                "--shutdown-grace",
                grace)
            .awaitUp("/readyz");
    nodes.add(node);
    return node;
  }

  @Test
  void sigterm_lets_a_running_call_finish_and_hands_over_what_outlasts_the_grace_period()
      throws Exception {
    databaseUrl = TestPostgres.freshSchemaUrl();
    target = new TestTarget();
    target.on("/short", Reply.ok("{\"short\":true}").holding(Duration.ofSeconds(2)));
    target.onSequence(
        "/long", Reply.ok("{}").holding(Duration.ofSeconds(60)), Reply.ok("{\"second\":true}"));
    OffloadProcess a = node("a", "5s");
    String shortTask =
        a.post("/v1/tasks", "{\"callbackUrl\":\"" + target.url("/short") + "\"}")
            .body()
            .get("taskId")
            .asText();
    String longTask =
        a.post("/v1/tasks", "{\"callbackUrl\":\"" + target.url("/long") + "\",\"retries\":0}")
            .body()
            .get("taskId")
            .asText();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> target.received("/short").size() == 1 && target.received("/long").size() == 1);
    OffloadProcess b = node("b", "5s");

    long start = System.nanoTime();
    assertThat(a.terminate(Duration.ofSeconds(30)))
        .as("node a exits after its grace period")
        .isTrue();
    Duration stopping = Duration.ofNanos(System.nanoTime() - start);

    assertThat(stopping).isLessThan(Duration.ofSeconds(20));
    assertThat(a.log())
        .as("the state line of a call that finished in the grace period is written before exit")
        .contains(
            "task "
                + shortTask
                + " attempt 1 in queue default (127.0.0.1:"
                + URI.create(target.url("/")).getPort()
                + "): succeeded (HTTP 200)");
    assertThat(a.log())
        .as("shutdown says what it waits for, and that it is done")
        // the short call may finish between the signal and the dispatcher's stop on a slow machine
        .containsPattern(
            "stopping: claiming no more tasks; waiting up to 5000ms for [12] calls in flight to finish")
        .contains("aborting 1 calls still in flight after the 5000ms grace period");
    assertThat(a.log().strip().lines().toList().getLast()).endsWith("Offload stopped");
    JsonNode finishedByA = b.get("/v1/tasks/" + shortTask).body();
    assertThat(finishedByA.get("status").asText()).isEqualTo("succeeded");
    assertThat(finishedByA.get("attempts").asInt()).isEqualTo(1);
    JsonNode handedOver = b.get("/v1/tasks/" + longTask + "?wait=20s").body();
    assertThat(handedOver.get("status").asText()).isEqualTo("succeeded");
    assertThat(handedOver.get("attempts").asInt())
        .as("the interrupted call did not spend an attempt")
        .isEqualTo(1);
    assertThat(target.received("/short")).hasSize(1);
    JsonNode nodesSeen = b.get("/v1/nodes").body().get("nodes");
    assertThat(nodesSeen.findValuesAsText("alive")).containsExactlyInAnyOrder("false", "true");
  }
}
