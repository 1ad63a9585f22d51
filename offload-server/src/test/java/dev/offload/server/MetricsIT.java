package dev.offload.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.offload.server.TestTarget.Reply;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricsIT {
  @TempDir Path dir;
  private TestTarget target;
  private RunningServer server;

  @BeforeEach
  void start() {
    target = new TestTarget().on("/ok", Reply.ok("{}")).on("/down", Reply.status(503));
    server = new RunningServer(dir, c -> c);
  }

  @AfterEach
  void stop() {
    if (server != null) server.close();
    target.close();
  }

  /** The samples of a scrape by series ({@code name{labels}}), skipping comments. */
  private static Map<String, Double> samples(String scrape) {
    Map<String, Double> samples = new HashMap<>();
    for (String line : scrape.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) continue;
      int space = line.lastIndexOf(' ');
      samples.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
    }
    return samples;
  }

  private String scrape() {
    RunningServer.Answer answer = server.get("/metrics");
    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.header("Content-Type")).startsWith("text/plain");
    return answer.text();
  }

  @Test
  void counters_and_histogram_counts_equal_what_ran() {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 5; i++)
      ids.add(
          server.createTask("{\"callbackUrl\": \"" + target.url("/ok") + "\", \"queue\": \"m1\"}"));
    for (int i = 0; i < 2; i++) {
      ids.add(
          server.createTask(
              """
          {"callbackUrl": "%s", "queue": "m1", "retries": 1, "backoff": {"type": "fixed", "initial": "100ms"}}"""
                  .formatted(target.url("/down"))));
    }
    String cancelled =
        server.createTask(
            "{\"callbackUrl\": \""
                + target.url("/ok")
                + "\", \"queue\": \"m1\", \"delay\": \"1h\"}");
    assertThat(server.post("/v1/tasks/" + cancelled + "/cancel", "").status()).isEqualTo(200);
    server.createTask(
        "{\"callbackUrl\": \"" + target.url("/ok") + "\", \"queue\": \"m1\", \"delay\": \"1h\"}");
    ids.forEach(server::awaitFinished);

    await()
        .atMost(Duration.ofSeconds(15))
        .untilAsserted(
            () -> {
              Map<String, Double> m = samples(scrape());
              assertThat(m)
                  .containsEntry("offload_tasks_accepted_total{queue=\"m1\"}", 9.0)
                  .containsEntry(
                      "offload_tasks_finished_total{queue=\"m1\",status=\"succeeded\"}", 5.0)
                  .containsEntry(
                      "offload_tasks_finished_total{queue=\"m1\",status=\"failed\"}", 2.0)
                  .containsEntry(
                      "offload_tasks_finished_total{queue=\"m1\",status=\"cancelled\"}", 1.0)
                  .containsEntry("offload_attempts_total{outcome=\"succeeded\",queue=\"m1\"}", 5.0)
                  .containsEntry("offload_attempts_total{outcome=\"http_error\",queue=\"m1\"}", 4.0)
                  .containsEntry("offload_attempt_duration_seconds_count{queue=\"m1\"}", 9.0)
                  .containsEntry(
                      "offload_attempt_duration_seconds_bucket{queue=\"m1\",le=\"+Inf\"}", 9.0)
                  .containsEntry("offload_dispatch_lag_seconds_count{queue=\"m1\"}", 7.0)
                  // the gauges come from the store every few seconds: the one task still waiting
                  .containsEntry("offload_queue_depth{queue=\"m1\",status=\"scheduled\"}", 1.0)
                  .containsEntry("offload_queue_depth{queue=\"m1\",status=\"queued\"}", 0.0)
                  .containsEntry("offload_queue_oldest_ready_age_seconds{queue=\"m1\"}", 0.0);
            });
    String scrape = scrape();
    assertThat(scrape)
        .doesNotContain("tsk_")
        .contains("jvm_memory_used_bytes")
        .contains("process_uptime_seconds");
  }

  @Test
  void metrics_need_an_api_token_when_tokens_are_configured() {
    String token = "metrics-token-0123456789";
    try (RunningServer guarded =
        new RunningServer(
            dir.resolve("guarded"),
            c ->
                c.withSecurity(
                    new SecurityConfig(SecurityConfig.Mode.DEV, List.of(token), List.of())))) {
      assertThat(guarded.get("/metrics").status()).isEqualTo(401);
      assertThat(guarded.get("/metrics", "Authorization", "Bearer " + token).status())
          .isEqualTo(200);
    }
  }
}
