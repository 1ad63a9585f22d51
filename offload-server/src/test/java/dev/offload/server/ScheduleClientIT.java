package dev.offload.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import dev.offload.client.Accepted;
import dev.offload.client.FieldError;
import dev.offload.client.ListQuery;
import dev.offload.client.OffloadClient;
import dev.offload.client.OffloadException;
import dev.offload.client.ScheduleRequest;
import dev.offload.client.ScheduleView;
import dev.offload.client.TaskRequest;
import dev.offload.client.TaskView;
import dev.offload.server.TestTarget.Reply;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real {@code offload-client}'s schedule calls against the real server. */
class ScheduleClientIT {
  @TempDir Path dir;
  private RunningServer server;
  private TestTarget target;
  private OffloadClient client;

  @BeforeEach
  void start() {
    target = new TestTarget();
    target.on("/export", Reply.ok("{}"));
    server = new RunningServer(dir);
    client = OffloadClient.builder().baseUrl(server.url("")).httpClient(server.http()).build();
  }

  @AfterEach
  void stop() {
    client.close();
    server.close();
    target.close();
  }

  private ScheduleRequest nightly() {
    return ScheduleRequest.of(
            "0 3 * * *",
            TaskRequest.builder()
                .callbackUrl(target.url("/export"))
                .payload(Map.of("format", "csv"))
                .retries(5)
                .priority(600)
                .build())
        .withTimezone("Europe/Berlin")
        .withOverlap(ScheduleRequest.Overlap.SKIP);
  }

  @Test
  void a_schedule_is_put_read_listed_paused_resumed_triggered_and_deleted() {
    ScheduleView created = client.schedules().put("nightly-export", nightly());
    assertThat(created.name()).isEqualTo("nightly-export");
    assertThat(created.timezone()).isEqualTo("Europe/Berlin");
    assertThat(created.overlap()).isEqualTo(ScheduleRequest.Overlap.SKIP);
    assertThat(created.catchUp()).isEqualTo(ScheduleRequest.CatchUp.LATEST);
    assertThat(created.task().get("retries").asInt()).isEqualTo(5);
    assertThat(created.task().get("priority").asInt()).isEqualTo(600);
    assertThat(created.nextRunAt()).isNotNull();

    ScheduleView withNext = client.schedules().get("nightly-export", 5);
    assertThat(withNext.nextRunsAt()).hasSize(5).first().isEqualTo(created.nextRunAt());
    assertThat(withNext.nextRunsAt().get(1)).isAfter(withNext.nextRunsAt().get(0));
    assertThat(client.schedules().list())
        .extracting(ScheduleView::name)
        .containsExactly("nightly-export");

    assertThat(client.schedules().pause("nightly-export").paused()).isTrue();
    Accepted run = client.schedules().trigger("nightly-export");
    TaskView task = client.tasks().await(run.taskId(), Duration.ofSeconds(20));
    assertThat(task.scheduleName()).isEqualTo("nightly-export");
    assertThat(task.priority()).as("from the template").isEqualTo(600);
    assertThat(target.received("/export"))
        .singleElement()
        .satisfies(call -> assertThat(call.header("Offload-Schedule")).isEqualTo("nightly-export"));
    assertThat(
            client.tasks().list(ListQuery.builder().scheduleName("nightly-export").build()).tasks())
        .extracting(TaskView::taskId)
        .containsExactly(run.taskId());
    assertThat(client.schedules().get("nightly-export").lastTaskId()).isEqualTo(run.taskId());

    assertThat(client.schedules().resume("nightly-export").nextRunAt()).isNotNull();
    client.schedules().delete("nightly-export");
    OffloadException missing =
        catchThrowableOfType(
            OffloadException.class, () -> client.schedules().get("nightly-export"));
    assertThat(missing.status()).isEqualTo(404);
  }

  @Test
  void an_every_second_schedule_fires_through_the_client() {
    client
        .schedules()
        .put(
            "pulse",
            ScheduleRequest.of(
                "@every 1s", TaskRequest.builder().callbackUrl(target.url("/export")).build()));
    await().atMost(Duration.ofSeconds(10)).until(() -> target.received("/export").size() >= 2);
  }

  @Test
  void an_invalid_schedule_is_a_problem_naming_the_fields() {
    OffloadException problem =
        catchThrowableOfType(
            OffloadException.class,
            () ->
                client
                    .schedules()
                    .put(
                        "bad",
                        ScheduleRequest.of(
                                "0 25 * * *",
                                TaskRequest.builder()
                                    .callbackUrl(target.url("/export"))
                                    .delay(Duration.ofSeconds(5))
                                    .build())
                            .withTimezone("Europe/Berlyn")));
    assertThat(problem.status()).isEqualTo(400);
    assertThat(problem.errors())
        .extracting(FieldError::field)
        .containsExactlyInAnyOrder("timezone", "cron", "task.delay");
  }
}
