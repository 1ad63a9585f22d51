package dev.offload.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.offload.server.TestTarget.Reply;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TraceparentIT {
  private static final String TRACEPARENT =
      "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

  @TempDir Path dir;
  private TestTarget target;
  private RunningServer server;

  @BeforeEach
  void start() {
    target = new TestTarget().onSequence("/work", Reply.status(503), Reply.ok("{}"));
    server = new RunningServer(dir, c -> c);
  }

  @AfterEach
  void stop() {
    if (server != null) server.close();
    target.close();
  }

  private String task(String extra) {
    return """
        {"callbackUrl": "%s", "retries": 1, "backoff": {"type": "fixed", "initial": "50ms"}%s}"""
        .formatted(target.url("/work"), extra);
  }

  @Test
  void the_traceparent_of_the_create_request_reaches_the_target_on_every_attempt() {
    RunningServer.Answer created =
        server.post(
            "/v1/tasks",
            task(
                ", \"headers\": {\"traceparent\": \"00-11111111111111111111111111111111-2222222222222222-01\"}"),
            "traceparent",
            TRACEPARENT,
            "tracestate",
            "vendor=abc");
    assertThat(created.status()).isEqualTo(202);
    server.awaitFinished(created.body().get("taskId").asText());

    await().atMost(Duration.ofSeconds(10)).until(() -> target.received("/work").size() == 2);
    assertThat(target.received("/work"))
        .allSatisfy(
            call -> {
              assertThat(call.header("traceparent")).isEqualTo(TRACEPARENT);
              assertThat(call.header("tracestate")).isEqualTo("vendor=abc");
            });
  }

  @Test
  void an_invalid_traceparent_is_ignored_and_the_task_still_runs() {
    RunningServer.Answer created =
        server.post(
            "/v1/tasks",
            task(""),
            "traceparent",
            "00-00000000000000000000000000000000-00f067aa0ba902b7-01");
    assertThat(created.status()).isEqualTo(202);
    server.awaitFinished(created.body().get("taskId").asText());

    assertThat(target.received("/work"))
        .isNotEmpty()
        .allSatisfy(call -> assertThat(call.header("traceparent")).isNull());
  }
}
