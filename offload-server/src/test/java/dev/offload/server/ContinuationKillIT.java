package dev.offload.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.offload.server.TestTarget.Reply;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server killed with SIGKILL in the middle of long tasks: after a restart on the same data the
 * chain goes on from its last stored state (only the call in flight is made again) and a task that
 * waited for a callback takes it on the new process.
 */
class ContinuationKillIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int STEPS = 6;
  private static final int IN_FLIGHT_AT_KILL = 3;

  @TempDir Path tempDir;
  private final List<OffloadProcess> processes = new ArrayList<>();
  private TestTarget target;

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
  void a_chain_killed_mid_call_completes_after_a_restart_and_loses_no_step() throws Exception {
    target = new TestTarget();
    AtomicBoolean heldOnce = new AtomicBoolean();
    target.on(
        "/chain",
        call -> {
          int n =
              call.header("Offload-Continuation") == null
                  ? 0
                  : parse(call.body()).path("state").path("n").asInt();
          Reply next =
              n < STEPS
                  ? Reply.ok("{\"n\":" + (n + 1) + "}").withHeader("Offload-Continue", "")
                  : Reply.ok("{\"done\":" + n + "}");
          return n == IN_FLIGHT_AT_KILL && heldOnce.compareAndSet(false, true)
              ? next.holding(Duration.ofSeconds(60))
              : next;
        });
    AtomicReference<String> callbackUrl = new AtomicReference<>();
    target.on(
        "/await",
        call -> {
          if (call.header("Offload-Continuation") != null) return Reply.ok(call.body());
          callbackUrl.set(call.header("Offload-Callback-Url"));
          return Reply.ok("{\"waiting\":true}").withHeader("Offload-Continue", "await=1h");
        });
    Path dataDir = tempDir.resolve("data");

    OffloadProcess first = serve("first", dataDir);
    String chain = create(first, "/chain");
    String waiting = create(first, "/await");
    await("the chain's call " + IN_FLIGHT_AT_KILL + " in flight and the other task waiting")
        .atMost(Duration.ofSeconds(15))
        .until(() -> heldOnce.get() && status(first, waiting).equals("waiting"));
    first.kill();

    OffloadProcess second = serve("second", dataDir);
    String token = callbackUrl.get().substring(callbackUrl.get().lastIndexOf('/') + 1);
    assertThat(second.post("/v1/callbacks/" + token, "{\"from\":\"outside\"}").status())
        .isEqualTo(202);
    await("both tasks succeeded after the restart")
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () ->
                status(second, chain).equals("succeeded")
                    && status(second, waiting).equals("succeeded"));

    Map<Integer, Long> callsByStep =
        target.received("/chain").stream()
            .collect(
                Collectors.groupingBy(
                    call ->
                        call.header("Offload-Continuation") == null
                            ? 0
                            : parse(call.body()).path("state").path("n").asInt(),
                    Collectors.counting()));
    assertThat(callsByStep)
        .as("every step once, the one in flight at the kill twice")
        .isEqualTo(Map.of(0, 1L, 1, 1L, 2, 1L, 3, 2L, 4, 1L, 5, 1L, 6, 1L));
    JsonNode task = second.get("/v1/tasks/" + chain).body();
    assertThat(task.path("result").path("body").path("done").asInt()).isEqualTo(STEPS);
    assertThat(task.path("continuations").asInt()).isEqualTo(STEPS);
    JsonNode answered = parse(target.received("/await").get(1).body());
    assertThat(answered.path("callback").path("body").path("from").asText()).isEqualTo("outside");
  }

  private OffloadProcess serve(String name, Path dataDir) throws Exception {
    OffloadProcess process =
        OffloadProcess.serve(
            name, tempDir, OffloadProcess.freePort(), dataDir, "--lease-timeout", "2s");
    processes.add(process);
    return process.awaitUp("/readyz");
  }

  private String create(OffloadProcess server, String path) {
    RunningServer.Answer created =
        server.post("/v1/tasks", "{\"callbackUrl\":\"" + target.url(path) + "\"}");
    assertThat(created.status()).as(created.text()).isEqualTo(202);
    return created.body().get("taskId").asText();
  }

  private static String status(OffloadProcess server, String id) {
    return server.get("/v1/tasks/" + id).body().get("status").asText();
  }

  private static JsonNode parse(String text) {
    try {
      return JSON.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
