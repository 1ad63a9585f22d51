package dev.offload.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.offload.client.WebhookVerifier;
import dev.offload.client.steps.CallbackTimeoutException;
import dev.offload.client.steps.Steps;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** The Java SDK's steps helper on the JDK's HttpServer, called by a real server. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JavaStepsIT {
  private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

  private RunningServer server;
  private HttpServer app;

  @BeforeAll
  void start(@TempDir Path dataDir) throws IOException {
    server = new RunningServer(dataDir, config -> config.withSigningSecrets(List.of(SECRET)));
    app = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    app.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    app.start();
  }

  @AfterAll
  void stop() {
    if (app != null) app.stop(0);
    if (server != null) server.close();
  }

  private String serve(String path, Steps steps) {
    app.createContext(path, steps.httpHandler());
    return "http://127.0.0.1:" + app.getAddress().getPort() + path;
  }

  @Test
  void steps_that_take_10x_the_budget_finish_with_each_step_run_exactly_once() {
    Map<Integer, Integer> runs = new ConcurrentHashMap<>();
    String url =
        serve(
            "/import",
            Steps.of(
                (payload, step) -> {
                  int total = 0;
                  for (int i = 0; i < payload.path("chunks").asInt(); i++) {
                    int chunk = i;
                    total +=
                        step.run(
                            "chunk-" + i,
                            Integer.class,
                            () -> {
                              runs.merge(chunk, 1, Integer::sum);
                              Thread.sleep(50);
                              return chunk;
                            });
                  }
                  return Map.of("total", total);
                },
                Duration.ofMillis(100),
                WebhookVerifier.of(SECRET)));

    String id = server.createTask("{\"callbackUrl\":\"" + url + "\",\"payload\":{\"chunks\":20}}");
    JsonNode task = server.awaitFinished(id);

    assertThat(task.path("status").asText()).as(task.toString()).isEqualTo("succeeded");
    assertThat(task.path("result").path("body").path("total").asInt()).isEqualTo(190);
    assertThat(runs).hasSize(20).allSatisfy((chunk, count) -> assertThat(count).isEqualTo(1));
    assertThat(task.path("continuations").asInt()).isGreaterThanOrEqualTo(5);
  }

  @Test
  void sleep_and_wait_for_callback_resume_where_the_handler_stopped() throws Exception {
    AtomicReference<String> callbackUrl = new AtomicReference<>();
    AtomicInteger firstRuns = new AtomicInteger();
    String url =
        serve(
            "/approve",
            Steps.of(
                (payload, step) -> {
                  int first =
                      step.run(
                          "first",
                          Integer.class,
                          () -> firstRuns.incrementAndGet() * payload.path("n").asInt());
                  step.sleep("nap", Duration.ofMillis(200));
                  JsonNode approval =
                      step.waitForCallback("approval", Duration.ofMinutes(1), callbackUrl::set);
                  return Map.of("first", first, "approval", approval);
                },
                Duration.ofSeconds(10),
                null));

    String id = server.createTask("{\"callbackUrl\":\"" + url + "\",\"payload\":{\"n\":21}}");
    LiveServerSupport.eventually()
        .until(
            () -> server.get("/v1/tasks/" + id).body().path("status").asText().equals("waiting"));
    RunningServer.Answer posted =
        server.send(
            HttpRequest.newBuilder(URI.create(callbackUrl.get()))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"approved\":true}")));
    JsonNode task = server.awaitFinished(id);

    assertThat(posted.status()).isEqualTo(202);
    assertThat(task.path("result").path("body").path("first").asInt()).isEqualTo(21);
    assertThat(task.path("result").path("body").path("approval").path("approved").asBoolean())
        .isTrue();
    assertThat(firstRuns.get()).isEqualTo(1);
  }

  @Test
  void a_callback_that_never_comes_throws_in_the_handler() {
    String url =
        serve(
            "/late",
            Steps.of(
                (payload, step) -> {
                  try {
                    step.waitForCallback("reply", Duration.ofMillis(300), callback -> {});
                    return "replied";
                  } catch (CallbackTimeoutException e) {
                    return "timed out in " + e.step();
                  }
                },
                Duration.ofSeconds(10),
                null));

    JsonNode task = server.awaitFinished(server.createTask("{\"callbackUrl\":\"" + url + "\"}"));

    assertThat(task.path("result").path("body").asText()).isEqualTo("timed out in reply");
  }

  @Test
  void an_error_in_a_step_fails_the_call_and_the_retry_replays_the_finished_steps() {
    AtomicInteger before = new AtomicInteger();
    AtomicInteger flaky = new AtomicInteger();
    String url =
        serve(
            "/flaky",
            Steps.of(
                (payload, step) -> {
                  step.run("before", Integer.class, before::incrementAndGet);
                  step.sleep("pause", Duration.ZERO);
                  return step.run(
                      "flaky",
                      String.class,
                      () -> {
                        if (flaky.incrementAndGet() == 1)
                          throw new IllegalStateException("the upstream API hiccuped");
                        return "ok";
                      });
                },
                Duration.ofSeconds(10),
                null));

    JsonNode task =
        server.awaitFinished(
            server.createTask(
                "{\"callbackUrl\":\""
                    + url
                    + "\",\"retries\":2,"
                    + "\"backoff\":{\"type\":\"fixed\",\"initial\":\"50ms\",\"jitter\":false}}"));

    assertThat(task.path("status").asText()).isEqualTo("succeeded");
    assertThat(before.get()).isEqualTo(1);
    assertThat(flaky.get()).isEqualTo(2);
  }

  @Test
  void a_call_with_a_wrong_signature_is_refused_and_not_retried() {
    Steps steps =
        Steps.of(
            (payload, step) -> "never",
            Duration.ofSeconds(1),
            WebhookVerifier.of(
                "whsec_"
                    + java.util.Base64.getEncoder()
                        .encodeToString("another-secret-of-32-bytes-long!".getBytes())));
    String url = serve("/signed", steps);

    JsonNode task = server.awaitFinished(server.createTask("{\"callbackUrl\":\"" + url + "\"}"));

    assertThat(task.path("status").asText()).isEqualTo("failed");
    assertThat(task.path("attempts").asInt()).isEqualTo(1);
  }
}
