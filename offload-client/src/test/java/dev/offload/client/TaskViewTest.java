package dev.offload.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TaskViewTest {
  record Report(String url, int pages) {}

  @Test
  void reads_a_finished_task_with_typed_result_and_webhook() throws Exception {
    String json =
        """
        {"taskId":"tsk_01","status":"succeeded","queue":"reports","callbackUrl":"http://t/r","method":"POST",
         "payload":{"n":1},"headerNames":["X-A"],"createdAt":"2026-01-01T00:00:00Z","runAt":null,
         "startedAt":"2026-01-01T00:00:01Z","finishedAt":"2026-01-01T00:00:02.5Z","attempts":2,"maxAttempts":4,
         "nextAttemptAt":null,"result":{"statusCode":200,"contentType":"application/json",
         "body":{"url":"https://x/r.pdf","pages":3,"extra":true},"truncated":false},"lastError":null,
         "progress":{"percent":100},"metadata":null,"scheduleName":null,"idempotencyKey":"k","timeout":"90s",
         "webhook":{"url":"http://app/done","status":"delivered","attempts":1,"lastError":null},"futureField":1}""";

    TaskView task = TaskView.from(Json.parse(json));

    assertThat(task.taskId()).isEqualTo("tsk_01");
    assertThat(task.status()).isEqualTo(TaskStatus.SUCCEEDED);
    assertThat(task.isTerminal()).isTrue();
    assertThat(task.headerNames()).containsExactly("X-A");
    assertThat(task.finishedAt()).isEqualTo(Instant.parse("2026-01-01T00:00:02.5Z"));
    assertThat(task.runAt()).isNull();
    assertThat(task.attempts()).isEqualTo(2);
    assertThat(task.maxAttempts()).isEqualTo(4);
    assertThat(task.resultAs(Report.class)).isEqualTo(new Report("https://x/r.pdf", 3));
    assertThat(task.result().statusCode()).isEqualTo(200);
    assertThat(task.progress().path("percent").asInt()).isEqualTo(100);
    assertThat(task.metadata().isNull()).isTrue();
    assertThat(task.metadataAs(Report.class)).isNull();
    assertThat(task.timeout()).isEqualTo(Duration.ofSeconds(90));
    assertThat(task.webhook()).isEqualTo(new WebhookState("http://app/done", "delivered", 1, null));
  }

  @Test
  void a_task_without_a_time_limit_result_or_webhook_reads_as_nulls() throws Exception {
    TaskView task =
        TaskView.from(
            Json.parse(
                """
        {"taskId":"tsk_02","status":"queued","body":"hi","contentType":"text/plain","headerNames":[],
         "result":null,"timeout":"none","webhook":null,"attempts":0,"maxAttempts":4}"""));

    assertThat(task.timeout()).isNull();
    assertThat(task.result()).isNull();
    assertThat(task.resultAs(String.class)).isNull();
    assertThat(task.webhook()).isNull();
    assertThat(task.payload().isNull()).isTrue();
    assertThat(task.body()).isEqualTo("hi");
    assertThat(task.isTerminal()).isFalse();
  }
}
