package dev.offload.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code offload serve} process killed with SIGKILL loses nothing it accepted (README: Concepts):
 * a new process on the same data directory runs the waiting tasks once each and takes back the
 * attempts that were in flight as {@code lease_expired}, then retries them.
 */
class DurabilityIT {
  private static final int DELAYED = 20;
  private static final int HELD = 5;

  @TempDir Path tempDir;
  private final List<OffloadProcess> processes = new ArrayList<>();
  private TestTarget target;

  /**
   * Shows what the server processes said when a test fails (before {@link #stopEverything} kills
   * them).
   */
  @RegisterExtension
  final TestExecutionExceptionHandler printServerOutput =
      (context, failure) -> {
        processes.forEach(OffloadProcess::printLog);
        throw failure;
      };

  @AfterEach
  void stopEverything() {
    processes.forEach(OffloadProcess::close);
    if (target != null) target.close();
  }

  @Test
  void a_killed_server_loses_no_task_and_retries_the_ones_it_was_running() throws Exception {
    target = new TestTarget();
    TestTarget.Reply held = TestTarget.Reply.ok("{\"held\":true}").holding(Duration.ofSeconds(60));
    TestTarget.Reply[] firstHeldThenOk = new TestTarget.Reply[HELD + 1];
    java.util.Arrays.fill(firstHeldThenOk, held);
    firstHeldThenOk[HELD] = TestTarget.Reply.ok("{\"done\":true}");
    target.onSequence("/held", firstHeldThenOk);
    Path dataDir = tempDir.resolve("data");

    OffloadProcess first = serve("first", dataDir);
    List<String> heldIds = new ArrayList<>();
    for (int i = 0; i < HELD; i++) {
      RunningServer.Answer created =
          first.post(
              "/v1/tasks",
              "{\"callbackUrl\":\"" + target.url("/held") + "\",\"payload\":{\"held\":" + i + "}}");
      assertThat(created.status()).as(created.text()).isEqualTo(202);
      heldIds.add(created.body().get("taskId").asText());
    }
    await("the " + HELD + " held calls arriving")
        .atMost(Duration.ofSeconds(15))
        .until(() -> target.received("/held").size() == HELD);
    for (String id : heldIds)
      assertThat(status(first, id)).as("task %s while its call is held", id).isEqualTo("running");

    // Created last, so they are certainly still waiting when the process dies a few ms later.
    String batch =
        IntStream.range(0, DELAYED)
            .mapToObj(
                i ->
                    "{\"callbackUrl\":\""
                        + target.url("/delayed")
                        + "\",\"delay\":\"2s\",\"payload\":{\"n\":"
                        + i
                        + "}}")
            .collect(Collectors.joining(",", "{\"tasks\":[", "]}"));
    RunningServer.Answer accepted = first.post("/v1/tasks/batch", batch);
    assertThat(accepted.status()).as(accepted.text()).isEqualTo(202);
    List<String> delayedIds = new ArrayList<>();
    accepted
        .body()
        .get("tasks")
        .forEach(
            t -> {
              assertThat(t.get("status").asText()).isEqualTo("scheduled");
              delayedIds.add(t.get("taskId").asText());
            });

    first.kill();
    assertThat(first.isAlive()).isFalse();
    assertThat(target.received("/delayed")).as("no delayed task ran before the kill").isEmpty();

    OffloadProcess second = serve("second", dataDir);
    List<String> all = new ArrayList<>(heldIds);
    all.addAll(delayedIds);
    await("all " + all.size() + " tasks succeeded after the restart")
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(200))
        .untilAsserted(
            () ->
                assertThat(statuses(second, all))
                    .allSatisfy((id, status) -> assertThat(status).isEqualTo("succeeded")));

    for (String id : heldIds) {
      JsonNode attempts = second.get("/v1/tasks/" + id + "/attempts").body();
      List<String> outcomes = new ArrayList<>();
      attempts.forEach(
          a -> outcomes.add(a.get("number").asInt() + ":" + a.get("outcome").asText()));
      assertThat(outcomes)
          .as("attempts of %s: %s", id, attempts)
          .containsExactly("1:lease_expired", "2:succeeded");
    }
    Map<String, Long> heldCalls =
        target.received("/held").stream()
            .collect(
                Collectors.groupingBy(
                    r -> r.header("Offload-Task-Id") + "#" + r.header("Offload-Attempt"),
                    Collectors.counting()));
    Map<String, Long> expectedHeldCalls = new LinkedHashMap<>();
    for (String id : heldIds) {
      expectedHeldCalls.put(id + "#1", 1L);
      expectedHeldCalls.put(id + "#2", 1L);
    }
    assertThat(heldCalls)
        .as("each held task: its lost attempt 1 and its retry 2")
        .isEqualTo(expectedHeldCalls);

    Map<String, Long> delayedCalls =
        target.received("/delayed").stream()
            .collect(
                Collectors.groupingBy(r -> r.header("Offload-Task-Id"), Collectors.counting()));
    assertThat(delayedCalls)
        .as("each delayed task called exactly once")
        .isEqualTo(delayedIds.stream().collect(Collectors.toMap(Function.identity(), id -> 1L)));
  }

  private OffloadProcess serve(String name, Path dataDir) throws Exception {
    int port = OffloadProcess.freePort();
    OffloadProcess process =
        OffloadProcess.serve(name, tempDir, port, dataDir, "--lease-timeout", "2s");
    processes.add(process);
    return process.awaitUp("/readyz");
  }

  private static String status(OffloadProcess server, String id) {
    return server.get("/v1/tasks/" + id).body().get("status").asText();
  }

  private static Map<String, String> statuses(OffloadProcess server, List<String> ids) {
    RunningServer.Answer page = server.get("/v1/tasks?limit=100");
    Map<String, String> byId = new LinkedHashMap<>();
    ids.forEach(id -> byId.put(id, "(missing)"));
    page.body()
        .get("tasks")
        .forEach(t -> byId.put(t.get("taskId").asText(), t.get("status").asText()));
    assertThat(byId).as("no task other than the %d created", ids.size()).hasSize(ids.size());
    return byId;
  }
}
