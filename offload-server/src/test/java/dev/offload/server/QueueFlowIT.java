package dev.offload.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.offload.server.TestTarget.Reply;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Queues and flow control (README: Queues) on one node with SQLite, seen from the target and the
 * API.
 */
class QueueFlowIT {
  @TempDir Path dir;
  private RunningServer server;
  private TestTarget target;

  @BeforeEach
  void start() {
    server = new RunningServer(dir);
    target = new TestTarget();
  }

  @AfterEach
  void stop() {
    if (server != null) server.close();
    if (target != null) target.close();
  }

  @Test
  void two_hundred_tasks_on_a_queue_with_concurrency_5_never_exceed_5_in_flight_at_the_target() {
    FlowControlChecks.concurrency5HoldsFor200Tasks(List.of(server), target);
  }

  @Test
  void a_rate_of_20_per_second_holds_within_10_percent_over_10_seconds() {
    long calls = FlowControlChecks.rate20PerSecondHoldsOver10Seconds(List.of(server), target);
    System.out.println("rate 20/s, one node: " + calls + " calls started within 10 s of the first");
  }

  @Test
  void per_key_concurrency_1_runs_a_keys_tasks_one_at_a_time_while_other_keys_proceed() {
    FlowControlChecks.oneCallPerKeyWhileOtherKeysProceed(List.of(server), target);
  }

  @Test
  void pausing_a_queue_lets_running_tasks_finish_starts_nothing_new_and_resuming_continues() {
    InFlightMeter meter = new InFlightMeter(Duration.ofMillis(700), null);
    target.on("/pausable", meter);
    String task = "{\"callbackUrl\":\"" + target.url("/pausable") + "\",\"queue\":\"pausable\"}";
    String running = server.post("/v1/tasks", task).body().path("taskId").asText();
    await().atMost(Duration.ofSeconds(10)).until(() -> meter.calls() == 1);

    JsonNode paused = server.put("/v1/queues/pausable", "{\"paused\":true}").body();
    assertThat(paused.path("paused").asBoolean()).isTrue();
    for (int i = 0; i < 3; i++) server.post("/v1/tasks", task);

    await().atMost(Duration.ofSeconds(10)).until(() -> status(running).equals("succeeded"));
    // a claim round after the slot freed would have started one of the three, were the queue not
    // paused
    Instant freed = Instant.now();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                server
                    .server()
                    .engine()
                    .lastClaimAt()
                    .filter(round -> round.isAfter(freed))
                    .isPresent());
    assertThat(meter.calls()).isEqualTo(1);
    assertThat(server.get("/v1/queues/pausable").body().path("counts").path("queued").asInt())
        .isEqualTo(3);

    server.put("/v1/queues/pausable", "{\"paused\":false}");
    FlowControlChecks.awaitSucceeded(server, "pausable", 4, Duration.ofSeconds(20));
    assertThat(meter.calls()).isEqualTo(4);
  }

  @Test
  void pull_tasks_obey_the_concurrency_of_their_queue() {
    server.put("/v1/queues/pulled", "{\"concurrency\":2}");
    for (int i = 0; i < 4; i++)
      server.post("/v1/tasks", "{\"name\":\"resize\",\"queue\":\"pulled\"}");

    JsonNode first =
        server.post("/v1/workers/lease", "{\"workerId\":\"w1\",\"max\":10,\"wait\":\"0s\"}").body();
    assertThat(first.path("tasks")).hasSize(2);
    JsonNode none =
        server
            .post("/v1/workers/lease", "{\"workerId\":\"w2\",\"max\":10,\"wait\":\"300ms\"}")
            .body();
    assertThat(none.path("tasks")).isEmpty();

    JsonNode leased = first.path("tasks").get(0);
    assertThat(
            server
                .post(
                    "/v1/tasks/" + leased.path("taskId").asText() + "/complete",
                    "{\"leaseToken\":\"" + leased.path("leaseToken").asText() + "\",\"result\":1}")
                .status())
        .isEqualTo(200);
    JsonNode next =
        server.post("/v1/workers/lease", "{\"workerId\":\"w2\",\"max\":10,\"wait\":\"5s\"}").body();
    assertThat(next.path("tasks")).hasSize(1);
  }

  @Test
  void queue_figures_describe_a_known_set_of_tasks() {
    target.on("/ok", Reply.ok("{}").holding(Duration.ofMillis(50)));
    target.on("/broken", Reply.status(500));
    for (int i = 0; i < 3; i++)
      server.post(
          "/v1/tasks", "{\"callbackUrl\":\"" + target.url("/ok") + "\",\"queue\":\"figures\"}");
    server.post(
        "/v1/tasks",
        "{\"callbackUrl\":\"" + target.url("/broken") + "\",\"queue\":\"figures\",\"retries\":0}");
    server.post(
        "/v1/tasks",
        "{\"callbackUrl\":\"" + target.url("/ok") + "\",\"queue\":\"figures\",\"delay\":\"1h\"}");
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                server
                        .get("/v1/queues/figures")
                        .body()
                        .path("throughput")
                        .path("lastMinute")
                        .asInt()
                    == 4);

    JsonNode queue = server.get("/v1/queues/figures").body();
    assertThat(queue.path("name").asText()).isEqualTo("figures");
    assertThat(queue.path("paused").asBoolean()).isFalse();
    assertThat(queue.path("concurrency").isNull()).isTrue();
    JsonNode counts = queue.path("counts");
    assertThat(
            List.of(
                counts.path("scheduled").asInt(),
                counts.path("queued").asInt(),
                counts.path("running").asInt(),
                counts.path("retrying").asInt(),
                counts.path("succeeded").asInt(),
                counts.path("failed").asInt(),
                counts.path("cancelled").asInt()))
        .containsExactly(1, 0, 0, 0, 3, 1, 0);
    assertThat(queue.path("inFlight").asInt()).isZero();
    assertThat(queue.path("oldestReadyAgeMs").isNull()).as("nothing is ready").isTrue();
    assertThat(queue.path("throughput").path("lastHour").asInt()).isEqualTo(4);
    JsonNode durations = queue.path("attemptDurationMs");
    assertThat(durations.path("p50").asLong()).isBetween(0L, 5_000L);
    assertThat(durations.path("p99").asLong())
        .isGreaterThanOrEqualTo(50L)
        .isGreaterThanOrEqualTo(durations.path("p95").asLong());
    assertThat(durations.path("p95").asLong())
        .isGreaterThanOrEqualTo(durations.path("p50").asLong());
    assertThat(queue.path("attemptTimeoutMs").asLong())
        .as("the default timeout, 1 h")
        .isEqualTo(3_600_000L);
    assertThat(queue.path("nearTimeout").isBoolean()).isTrue();
    assertThat(queue.path("nearTimeout").asBoolean()).isFalse();

    List<String> names = new ArrayList<>();
    server.get("/v1/queues").body().path("queues").forEach(q -> names.add(q.path("name").asText()));
    assertThat(names).containsExactly("figures");
    assertThat(server.get("/v1/queues/never-used").status()).isEqualTo(404);
  }

  @Test
  void the_history_has_sixty_minutes_ending_with_the_current_one_in_the_dashboards_shape() {
    target.on("/ok", Reply.ok("{}"));
    target.on("/broken", Reply.status(500));
    String timed = ",\"queue\":\"charted\",\"timeout\":\"30s\",\"retries\":0}";
    for (int i = 0; i < 2; i++)
      server.post("/v1/tasks", "{\"callbackUrl\":\"" + target.url("/ok") + "\"" + timed);
    server.post("/v1/tasks", "{\"callbackUrl\":\"" + target.url("/broken") + "\"" + timed);
    server.post(
        "/v1/tasks",
        "{\"callbackUrl\":\"" + target.url("/ok") + "\",\"queue\":\"charted\",\"delay\":\"1h\"}");
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                server
                        .get("/v1/queues/charted")
                        .body()
                        .path("throughput")
                        .path("lastMinute")
                        .asInt()
                    == 3);
    Instant before = Instant.now();

    RunningServer.Answer answer = server.get("/v1/queues/charted/history");

    assertThat(answer.status()).as(answer.text()).isEqualTo(200);
    assertThat(answer.header("Content-Type")).startsWith("application/json");
    JsonNode history = answer.body();
    assertThat(names(history))
        .containsExactly("queue", "bucketSeconds", "from", "to", "attemptTimeoutMs", "buckets");
    assertThat(history.path("queue").asText()).isEqualTo("charted");
    assertThat(history.path("bucketSeconds").asInt()).isEqualTo(60);
    assertThat(history.path("attemptTimeoutMs").asLong()).isEqualTo(30_000L);
    Instant to = Instant.parse(history.path("to").asText());
    assertThat(to.getEpochSecond() % 60).isZero();
    assertThat(to).isAfter(before).isBeforeOrEqualTo(Instant.now().plusSeconds(60));
    assertThat(Instant.parse(history.path("from").asText()))
        .isEqualTo(to.minus(Duration.ofHours(1)));
    JsonNode buckets = history.path("buckets");
    assertThat(buckets).hasSize(60);
    long created = 0;
    long succeeded = 0;
    long failed = 0;
    long attempts = 0;
    for (int i = 0; i < 60; i++) {
      JsonNode bucket = buckets.get(i);
      assertThat(names(bucket))
          .containsExactly(
              "at",
              "created",
              "finished",
              "succeeded",
              "failed",
              "cancelled",
              "depth",
              "attempts",
              "attemptDurationMs");
      assertThat(names(bucket.path("attemptDurationMs"))).containsExactly("p50", "p95", "p99");
      assertThat(bucket.path("at").asText())
          .isEqualTo(to.minus(Duration.ofMinutes(60 - i)).toString());
      assertThat(bucket.path("finished").asLong())
          .isEqualTo(
              bucket.path("succeeded").asLong()
                  + bucket.path("failed").asLong()
                  + bucket.path("cancelled").asLong());
      assertThat(bucket.path("attemptDurationMs").path("p50").isNull())
          .isEqualTo(bucket.path("attempts").asLong() == 0);
      created += bucket.path("created").asLong();
      succeeded += bucket.path("succeeded").asLong();
      failed += bucket.path("failed").asLong();
      attempts += bucket.path("attempts").asLong();
    }
    assertThat(List.of(created, succeeded, failed, attempts)).containsExactly(4L, 2L, 1L, 3L);
    assertThat(buckets.get(59).path("depth").asLong()).as("the delayed task waits").isEqualTo(1);

    assertThat(server.get("/v1/queues/never-used/history").status()).isEqualTo(404);
    assertThat(server.get("/v1/queues/bad%20name/history").status()).isEqualTo(404);
    assertThat(fields(server.get("/v1/queues/charted/history?minutes=120")))
        .containsExactly("minutes");
  }

  private static List<String> names(JsonNode object) {
    List<String> names = new ArrayList<>();
    object.properties().forEach(property -> names.add(property.getKey()));
    return names;
  }

  @Test
  void bad_queue_settings_get_a_400_naming_each_field() {
    assertThat(
            fields(
                server.put(
                    "/v1/queues/q", "{\"concurrency\":0,\"ratePerSecond\":0,\"paused\":\"yes\"}")))
        .containsExactlyInAnyOrder("concurrency", "ratePerSecond", "paused");
    assertThat(
            fields(
                server.put(
                    "/v1/queues/q",
                    "{\"concurrency\":100001,\"ratePerSecond\":100001,\"burst\":0}")))
        .containsExactlyInAnyOrder("concurrency", "ratePerSecond", "burst");
    assertThat(fields(server.put("/v1/queues/q", "{\"burst\":5}"))).containsExactly("burst");
    assertThat(fields(server.put("/v1/queues/q", "{\"concurency\":5}")))
        .containsExactly("concurency");
    assertThat(fields(server.put("/v1/queues/q", "[]"))).containsExactly("(body)");
    assertThat(fields(server.put("/v1/queues/bad%20name", "{}"))).containsExactly("name");
    assertThat(
            fields(
                server.post(
                    "/v1/tasks",
                    "{\"callbackUrl\":\"" + target.url("/x") + "\",\"keyConcurrency\":2}")))
        .containsExactly("keyConcurrency");
    assertThat(
            fields(
                server.post(
                    "/v1/tasks",
                    "{\"callbackUrl\":\""
                        + target.url("/x")
                        + "\",\"concurrencyKey\":\"\",\"keyConcurrency\":1001}")))
        .containsExactlyInAnyOrder("concurrencyKey", "keyConcurrency");
    assertThat(server.get("/v1/queues/q").status())
        .as("a refused PUT creates no queue")
        .isEqualTo(404);
  }

  @Test
  void a_task_shows_its_concurrency_key_and_limit() {
    String id =
        server
            .post(
                "/v1/tasks",
                "{\"callbackUrl\":\""
                    + target.url("/x")
                    + "\",\"concurrencyKey\":\"customer-7\",\"keyConcurrency\":3}")
            .body()
            .path("taskId")
            .asText();

    JsonNode task = server.get("/v1/tasks/" + id).body();
    assertThat(task.path("concurrencyKey").asText()).isEqualTo("customer-7");
    assertThat(task.path("keyConcurrency").asInt()).isEqualTo(3);
  }

  private String status(String id) {
    return server.get("/v1/tasks/" + id).body().path("status").asText();
  }

  private static List<String> fields(RunningServer.Answer answer) {
    assertThat(answer.status()).as(answer.text()).isEqualTo(400);
    assertThat(answer.header("Content-Type")).startsWith("application/problem+json");
    List<String> fields = new ArrayList<>();
    answer.body().path("errors").forEach(e -> fields.add(e.path("field").asText()));
    return fields;
  }
}
