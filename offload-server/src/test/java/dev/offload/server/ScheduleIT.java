package dev.offload.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.offload.server.RunningServer.Answer;
import dev.offload.server.TestTarget.Received;
import dev.offload.server.TestTarget.Reply;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Schedules on the real server: firing, pause, resume, trigger and the schedule's page. */
class ScheduleIT {
  @TempDir Path dir;
  private RunningServer offload;
  private TestTarget target;

  @BeforeEach
  void start() {
    offload = new RunningServer(dir);
    target = new TestTarget();
    target.on("/tick", Reply.ok("{}"));
  }

  @AfterEach
  void stop() {
    offload.close();
    target.close();
  }

  private Answer putSchedule(String name, String cron) {
    return offload.put(
        "/v1/schedules/" + name,
        "{\"cron\":\""
            + cron
            + "\",\"task\":{\"callbackUrl\":\""
            + target.url("/tick")
            + "\",\"payload\":{\"job\":\""
            + name
            + "\"},\"queue\":\"cron\",\"retries\":1}}");
  }

  private int runs(String name) {
    return offload.get("/v1/tasks?limit=500&scheduleName=" + name).body().get("tasks").size();
  }

  @Test
  void an_every_second_schedule_fires_about_once_a_second_with_the_schedule_header() {
    Answer created = putSchedule("heartbeat", "@every 1s");
    assertThat(created.status()).isEqualTo(201);
    assertThat(created.header("Location")).isEqualTo("/v1/schedules/heartbeat");

    await().atMost(Duration.ofSeconds(15)).until(() -> target.received("/tick").size() >= 5);

    List<Received> calls = target.received("/tick");
    assertThat(calls)
        .allSatisfy(
            call -> {
              assertThat(call.header("Offload-Schedule")).isEqualTo("heartbeat");
              assertThat(call.header("Offload-Queue")).isEqualTo("cron");
              assertThat(call.body()).isEqualTo("{\"job\":\"heartbeat\"}");
            });
    List<Instant> runTimes =
        offload
            .get("/v1/tasks?scheduleName=heartbeat")
            .body()
            .get("tasks")
            .findValuesAsText("createdAt")
            .stream()
            .map(Instant::parse)
            .sorted()
            .toList();
    Duration span = Duration.between(runTimes.getFirst(), runTimes.getLast());
    int intervals = runTimes.size() - 1;
    assertThat(span)
        .isBetween(Duration.ofMillis(800L * intervals), Duration.ofMillis(1_200L * intervals));
    assertThat(calls.stream().map(c -> c.header("Offload-Task-Id")).distinct())
        .hasSize(calls.size());

    JsonNode page = offload.get("/v1/schedules/heartbeat?next=5").body();
    assertThat(page.get("lastTaskId").asText()).startsWith("tsk_");
    assertThat(Instant.parse(page.get("lastRunAt").asText()))
        .isBefore(Instant.parse(page.get("nextRunAt").asText()));
    assertThat(page.get("nextRunsAt")).hasSize(5);
    assertThat(page.get("runsUrl").asText()).isEqualTo("/v1/tasks?scheduleName=heartbeat");
    JsonNode run = offload.get("/v1/tasks/" + page.get("lastTaskId").asText()).body();
    assertThat(run.get("scheduleName").asText()).isEqualTo("heartbeat");
  }

  @Test
  void pause_stops_it_resume_restarts_it_and_trigger_fires_at_once() {
    putSchedule("sync", "@every 1s");
    await().atMost(Duration.ofSeconds(10)).until(() -> runs("sync") >= 2);

    Answer paused = offload.post("/v1/schedules/sync/pause", "");
    assertThat(paused.status()).isEqualTo(200);
    assertThat(paused.body().get("paused").asBoolean()).isTrue();
    assertThat(paused.body().get("nextRunAt").isNull()).isTrue();
    int whilePaused = runs("sync");
    // a round of the cron loop for a time past the next slot (at most 1 s on) would have fired it
    Instant slotPassed = Instant.now().plusMillis(1_100);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                offload
                    .server()
                    .engine()
                    .schedules()
                    .lastRoundAt()
                    .filter(round -> round.isAfter(slotPassed))
                    .isPresent());
    assertThat(runs("sync")).isEqualTo(whilePaused);

    Answer triggered = offload.post("/v1/schedules/sync/trigger", "");
    assertThat(triggered.status()).isEqualTo(202);
    String taskId = triggered.body().get("taskId").asText();
    await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () ->
                target.received("/tick").stream()
                    .anyMatch(c -> taskId.equals(c.header("Offload-Task-Id"))));
    assertThat(offload.get("/v1/schedules/sync").body().get("lastTaskId").asText())
        .isEqualTo(taskId);
    assertThat(runs("sync")).isEqualTo(whilePaused + 1);

    Answer resumed = offload.post("/v1/schedules/sync/resume", "");
    assertThat(resumed.body().get("paused").asBoolean()).isFalse();
    await().atMost(Duration.ofSeconds(5)).until(() -> runs("sync") >= whilePaused + 3);
  }

  @Test
  void a_schedule_can_be_read_listed_replaced_and_deleted() {
    assertThat(putSchedule("report", "0 9 * * MON-FRI").status()).isEqualTo(201);
    JsonNode first = offload.get("/v1/schedules/report").body();
    assertThat(putSchedule("report", "0 9 * * MON-FRI").status()).isEqualTo(200);
    assertThat(offload.get("/v1/schedules/report").body().get("updatedAt"))
        .isEqualTo(first.get("updatedAt"));

    Answer berlin =
        offload.put(
            "/v1/schedules/report",
            "{\"cron\":\"30 8 * * *\",\"timezone\":\"Europe/Berlin\","
                + "\"overlap\":\"skip\",\"catchUp\":\"none\",\"task\":{\"callbackUrl\":\""
                + target.url("/tick")
                + "\"}}");
    assertThat(berlin.status()).isEqualTo(200);
    assertThat(berlin.body().get("timezone").asText()).isEqualTo("Europe/Berlin");
    assertThat(berlin.body().get("overlap").asText()).isEqualTo("skip");
    assertThat(berlin.body().get("catchUp").asText()).isEqualTo("none");
    assertThat(
            Instant.parse(berlin.body().get("nextRunAt").asText())
                .atZone(java.time.ZoneId.of("Europe/Berlin"))
                .toLocalTime())
        .hasToString("08:30");

    assertThat(offload.get("/v1/schedules").body().get("schedules"))
        .extracting(s -> s.get("name").asText())
        .containsExactly("report");
    assertThat(offload.delete("/v1/schedules/report").status()).isEqualTo(204);
    Answer gone = offload.get("/v1/schedules/report");
    assertThat(gone.status()).isEqualTo(404);
    assertThat(gone.header("Content-Type")).startsWith("application/problem+json");
    assertThat(offload.delete("/v1/schedules/report").status()).isEqualTo(404);
    assertThat(offload.post("/v1/schedules/report/trigger", "").status()).isEqualTo(404);
  }

  @Test
  void invalid_schedules_are_400_problems_naming_each_field() {
    Answer bad =
        offload.put(
            "/v1/schedules/x",
            "{\"cron\":\"61 * * * *\",\"timezone\":\"Mars/Olympus\",\"task\":"
                + "{\"callbackUrl\":\"ftp://x\",\"runAt\":\"2030-01-01T00:00:00Z\",\"retries\":-1},\"overlap\":\"never\",\"cronn\":1}");
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.header("Content-Type")).startsWith("application/problem+json");
    assertThat(bad.body().get("errors"))
        .extracting(e -> e.get("field").asText())
        .containsExactlyInAnyOrder(
            "cronn",
            "timezone",
            "cron",
            "task.runAt",
            "task.callbackUrl",
            "task.retries",
            "overlap");
    assertThat(bad.text())
        .contains("Value 61 not in range [0, 59]")
        .contains("unknown time zone \\\"Mars/Olympus\\\"");

    assertThat(
            fields(
                offload.put(
                    "/v1/schedules/x", "{\"task\":{\"callbackUrl\":\"http://a.example\"}}")))
        .containsExactly("cron");
    assertThat(fields(offload.put("/v1/schedules/x", "{\"cron\":\"@every 1s\"}")))
        .containsExactly("task");
    assertThat(
            fields(
                offload.put(
                    "/v1/schedules/x",
                    "{\"cron\":\"@fortnightly\",\"task\":{\"callbackUrl\":\"http://a.example\"}}")))
        .containsExactly("cron");
    assertThat(
            fields(
                offload.put(
                    "/v1/schedules/-bad",
                    "{\"cron\":\"@daily\",\"task\":{\"callbackUrl\":\"http://a.example\"}}")))
        .containsExactly("name");
    assertThat(fields(offload.get("/v1/schedules/x?next=51"))).containsExactly("next");
    assertThat(offload.get("/v1/schedules").body().get("schedules")).isEmpty();
  }

  private static List<String> fields(Answer answer) {
    assertThat(answer.status()).as(answer.text()).isEqualTo(answer.body().has("errors") ? 400 : -1);
    return answer.body().get("errors").findValuesAsText("field");
  }
}
