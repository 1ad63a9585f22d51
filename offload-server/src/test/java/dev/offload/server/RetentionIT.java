package dev.offload.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.offload.server.RunningServer.Answer;
import dev.offload.server.TestTarget.Reply;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Retention over HTTP: {@code DELETE /v1/tasks/{id}}, a task's {@code retention}, a queue's {@code
 * retainSucceeded} and {@code retainFailed}, and the purge time each gives a finished task.
 */
class RetentionIT extends LiveServerSupport {

  private String finishedTask(String extraFields) {
    String path = path("work");
    target.on(path, Reply.ok("{\"done\":true}"));
    String id =
        server.createTask(json("{'callbackUrl':'%s'" + extraFields + "}", target.url(path)));
    assertThat(server.awaitFinished(id).path("status").asText()).isEqualTo("succeeded");
    return id;
  }

  @Test
  void delete_removes_a_finished_task_with_its_attempts_events_and_result() {
    String id = finishedTask("");
    assertThat(attempts(id)).hasSize(1);

    Answer deleted = server.delete("/v1/tasks/" + id);

    assertThat(deleted.status()).as(deleted.text()).isEqualTo(204);
    assertProblem(server.get("/v1/tasks/" + id), 404);
    assertProblem(server.get("/v1/tasks/" + id + "/attempts"), 404);
    assertProblem(server.get("/v1/tasks/" + id + "/events"), 404);
    assertProblem(server.delete("/v1/tasks/" + id), 404);
  }

  @Test
  void delete_refuses_an_unfinished_task_until_it_is_cancelled() {
    String id =
        server.createTask(json("{'callbackUrl':'%s','delay':'1h'}", target.url(path("later"))));

    Answer refused = server.delete("/v1/tasks/" + id);

    assertProblem(refused, 409);
    assertThat(refused.body().path("detail").asText()).contains("scheduled", "cancel it first");
    assertThat(task(id).path("status").asText()).isEqualTo("scheduled");
    assertThat(cancel(id).status()).isEqualTo(200);
    assertThat(server.delete("/v1/tasks/" + id).status()).isEqualTo(204);
  }

  @Test
  void delete_of_an_unknown_or_malformed_id_is_404() {
    assertProblem(server.delete("/v1/tasks/tsk_01JD0000000000000000000000"), 404);
    assertProblem(server.delete("/v1/tasks/not-a-task"), 404);
  }

  @Test
  void a_finished_task_shows_when_it_will_be_deleted_by_the_server_default() {
    JsonNode task = task(finishedTask(""));

    assertThat(task.path("retention").isNull()).isTrue();
    assertThat(millisBetween(instant(task.path("finishedAt")), instant(task.path("purgeAt"))))
        .isEqualTo(Duration.ofDays(7).toMillis());
  }

  @Test
  void a_task_retention_is_shown_and_sets_its_purge_time() {
    String queued =
        server.createTask(
            json("{'callbackUrl':'%s','delay':'1h','retention':'36h'}", target.url(path("x"))));
    assertThat(task(queued).path("retention").asText()).isEqualTo("36h");
    assertThat(task(queued).path("purgeAt").isNull()).isTrue();

    JsonNode kept = task(finishedTask(",'retention':'forever'"));
    JsonNode shorter = task(finishedTask(",'retention':'PT90M'"));

    assertThat(kept.path("retention").asText()).isEqualTo("forever");
    assertThat(kept.path("purgeAt").isNull()).isTrue();
    assertThat(shorter.path("retention").asText()).isEqualTo("90m");
    assertThat(millisBetween(instant(shorter.path("finishedAt")), instant(shorter.path("purgeAt"))))
        .isEqualTo(Duration.ofMinutes(90).toMillis());
  }

  @Test
  void a_queue_keeps_its_retention_settings_and_they_apply_to_its_tasks() {
    String queue = unique("kept");
    Answer put =
        server.put(
            "/v1/queues/" + queue,
            "{\"concurrency\":5,\"retainSucceeded\":\"12h\",\"retainFailed\":\"forever\"}");
    assertThat(put.status()).as(put.text()).isEqualTo(200);
    assertThat(put.body().path("retainSucceeded").asText()).isEqualTo("12h");
    assertThat(put.body().path("retainFailed").asText()).isEqualTo("forever");
    assertThat(server.get("/v1/queues/" + queue).body().path("retainSucceeded").asText())
        .isEqualTo("12h");

    JsonNode succeeded = task(finishedTask(",'queue':'" + queue + "'"));
    assertThat(
            millisBetween(
                instant(succeeded.path("finishedAt")), instant(succeeded.path("purgeAt"))))
        .isEqualTo(Duration.ofHours(12).toMillis());

    String failing = path("refuses");
    target.on(failing, Reply.status(400));
    String failed =
        server.createTask(json("{'callbackUrl':'%s','queue':'%s'}", target.url(failing), queue));
    assertThat(server.awaitFinished(failed).path("status").asText()).isEqualTo("failed");
    assertThat(task(failed).path("purgeAt").isNull()).isTrue();

    Answer cleared = server.put("/v1/queues/" + queue, "{}");
    assertThat(cleared.body().path("retainSucceeded").isNull()).isTrue();
    assertThat(cleared.body().path("retainFailed").isNull()).isTrue();
  }

  @Test
  void a_schedule_task_template_keeps_its_retention() {
    String name = unique("nightly");
    Answer put =
        server.put(
            "/v1/schedules/" + name,
            json(
                "{'cron':'0 3 * * *','paused':true,'task':{'callbackUrl':'%s','retention':'1d'}}",
                target.url(path("nightly"))));

    assertThat(put.status()).as(put.text()).isEqualTo(201);
    assertThat(put.body().path("task").path("retention").asText()).isEqualTo("1d");
    assertThat(server.get("/v1/schedules/" + name).body().path("task").path("retention").asText())
        .isEqualTo("1d");
  }
}
