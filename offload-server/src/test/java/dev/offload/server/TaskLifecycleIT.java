package dev.offload.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.offload.server.RunningServer.Answer;
import dev.offload.server.TestTarget.Received;
import dev.offload.server.TestTarget.Reply;
import dev.offload.task.TaskId;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The task API of README: Concepts, API end to end: a real server calling a real target. */
class TaskLifecycleIT extends LiveServerSupport {

  // --- create and run ---

  @Test
  void a_task_succeeds_and_keeps_the_result_and_the_target_gets_the_payload_and_offload_headers() {
    String path = path("transcode");
    target.on(path, Reply.ok("{\"url\":\"https://cdn.example/v.mp4\",\"seconds\":12}"));

    Answer created =
        server.post(
            "/v1/tasks",
            json(
                "{'callbackUrl':'%s','payload':{'videoUrl':'https://example/v.mov','format':'mp4'},'queue':'media'}",
                target.url(path)));
    assertThat(created.status()).as(created.text()).isEqualTo(202);
    String id = created.body().path("taskId").asText();
    assertThat(id).startsWith("tsk_");
    assertThat(created.body().path("status").asText()).isEqualTo("queued");
    assertThat(created.body().path("statusUrl").asText()).isEqualTo("/v1/tasks/" + id);
    assertThat(created.header("Location")).isEqualTo("/v1/tasks/" + id);

    JsonNode task = server.awaitFinished(id);
    assertThat(task.path("status").asText()).isEqualTo("succeeded");
    assertThat(task.path("queue").asText()).isEqualTo("media");
    assertThat(task.path("attempts").asInt()).isEqualTo(1);
    assertThat(task.path("startedAt").isTextual()).isTrue();
    assertThat(task.path("finishedAt").isTextual()).isTrue();
    JsonNode result = task.path("result");
    assertThat(result.path("statusCode").asInt()).isEqualTo(200);
    assertThat(result.path("contentType").asText()).startsWith("application/json");
    assertThat(result.path("body").isObject())
        .as("a JSON response is kept as JSON: %s", result)
        .isTrue();
    assertThat(result.path("body").path("seconds").asInt()).isEqualTo(12);
    assertThat(result.path("truncated").asBoolean(true)).isFalse();

    JsonNode attempts = attempts(id);
    assertThat(attempts).hasSize(1);
    assertThat(attempts.get(0).path("outcome").asText()).isEqualTo("succeeded");

    List<Received> calls = target.received(path);
    assertThat(calls).hasSize(1);
    Received call = calls.get(0);
    assertThat(call.method()).isEqualTo("POST");
    assertThat(parse(call.body()))
        .isEqualTo(parse("{\"videoUrl\":\"https://example/v.mov\",\"format\":\"mp4\"}"));
    assertThat(call.header("Content-Type")).startsWith("application/json");
    assertThat(call.header("Offload-Task-Id")).isEqualTo(id);
    assertThat(call.header("Offload-Attempt")).isEqualTo("1");
    assertThat(call.header("Offload-Queue")).isEqualTo("media");
    assertThat(call.header("Offload-Task-Token")).isNotBlank();
    assertThat(call.header("User-Agent")).startsWith("Offload/");
  }

  @Test
  void
      a_text_body_goes_out_with_its_method_headers_and_content_type_and_a_text_result_stays_text() {
    String path = path("csv-import");
    target.on(
        path,
        new Reply(
            200,
            Map.of("Content-Type", "text/plain; charset=utf-8"),
            "imported 2 rows",
            Duration.ZERO));

    String id =
        server.createTask(
            json(
                "{'callbackUrl':'%s','method':'PUT','headers':{'Authorization':'Bearer s3cret','X-Tenant':'acme'},"
                    + "'body':'id,name\\n1,Ada','contentType':'text/csv'}",
                target.url(path)));
    JsonNode task = server.awaitFinished(id);

    assertThat(task.path("status").asText()).isEqualTo("succeeded");
    assertThat(task.path("result").path("body").isTextual())
        .as("a non-JSON response is kept as a string")
        .isTrue();
    assertThat(task.path("result").path("body").asText()).isEqualTo("imported 2 rows");
    assertThat(task.path("result").path("contentType").asText()).startsWith("text/plain");
    Received call = target.received(path).get(0);
    assertThat(call.method()).isEqualTo("PUT");
    assertThat(call.body()).isEqualTo("id,name\n1,Ada");
    assertThat(call.header("Content-Type")).startsWith("text/csv");
    assertThat(call.header("Authorization")).isEqualTo("Bearer s3cret");
    assertThat(call.header("X-Tenant")).isEqualTo("acme");
    assertThat(call.header("Offload-Task-Id")).isEqualTo(id);
  }

  @Test
  void a_delayed_task_is_scheduled_and_runs_after_the_delay() {
    String path = path("later");
    Instant before = Instant.now();
    Answer created =
        server.post("/v1/tasks", json("{'callbackUrl':'%s','delay':'1s'}", target.url(path)));

    assertThat(created.status()).as(created.text()).isEqualTo(202);
    assertThat(created.body().path("status").asText()).isEqualTo("scheduled");
    String id = created.body().path("taskId").asText();
    JsonNode scheduled = task(id);
    assertThat(scheduled.path("status").asText()).isEqualTo("scheduled");
    Instant createdAt = instant(scheduled.path("createdAt"));
    assertThat(millisBetween(createdAt, instant(scheduled.path("runAt")))).isBetween(900L, 1_000L);

    assertThat(server.awaitFinished(id).path("status").asText()).isEqualTo("succeeded");
    // that the due time itself wakes the claim loop, not its next poll, EngineIT shows with a poll
    // of an hour
    assertThat(millisBetween(before, target.received(path).get(0).at()))
        .as("not called before the delay")
        .isGreaterThanOrEqualTo(990L);
  }

  @Test
  void a_task_with_run_at_in_the_past_runs_at_once() {
    String path = path("overdue");
    Answer created =
        server.post(
            "/v1/tasks",
            json("{'callbackUrl':'%s','runAt':'2020-01-01T00:00:00Z'}", target.url(path)));

    assertThat(created.status()).as(created.text()).isEqualTo(202);
    assertThat(created.body().path("status").asText())
        .as("due now: the create wakes the claim loop (EngineIT)")
        .isEqualTo("queued");
    assertThat(server.awaitFinished(created.body().path("taskId").asText()).path("status").asText())
        .isEqualTo("succeeded");
    assertThat(target.received(path)).hasSize(1);
  }

  // --- batch ---

  @Test
  void a_batch_creates_all_tasks_in_order_and_all_of_them_run() {
    List<String> paths = List.of(path("batch-a"), path("batch-b"), path("batch-c"));
    Answer answer =
        server.post(
            "/v1/tasks/batch",
            json(
                "{'tasks':[{'callbackUrl':'%s'},{'callbackUrl':'%s'},{'callbackUrl':'%s'}]}",
                target.url(paths.get(0)), target.url(paths.get(1)), target.url(paths.get(2))));

    assertThat(answer.status()).as(answer.text()).isEqualTo(202);
    JsonNode tasks = answer.body().path("tasks");
    assertThat(tasks).hasSize(3);
    for (int i = 0; i < 3; i++) {
      String id = tasks.get(i).path("taskId").asText();
      assertThat(id).startsWith("tsk_");
      assertThat(tasks.get(i).path("status").asText()).isEqualTo("queued");
      JsonNode task = server.awaitFinished(id);
      assertThat(task.path("callbackUrl").asText())
          .as("answer in request order")
          .isEqualTo(target.url(paths.get(i)));
      assertThat(task.path("status").asText()).isEqualTo("succeeded");
      assertThat(target.received(paths.get(i)))
          .extracting(r -> r.header("Offload-Task-Id"))
          .containsExactly(id);
    }
  }

  @Test
  void a_batch_with_one_invalid_task_is_rejected_whole_and_creates_nothing() {
    String queue = unique("batch-invalid");
    String path = path("batch-never");
    Answer answer =
        server.post(
            "/v1/tasks/batch",
            json(
                "{'tasks':[{'callbackUrl':'%s','queue':'%s'},{'callbackUrl':'not-a-url','queue':'%s'},{'callbackUrl':'%s','queue':'%s'}]}",
                target.url(path), queue, queue, target.url(path), queue));

    assertProblem(answer, 400);
    assertThat(problemFields(answer)).containsExactly("tasks[1].callbackUrl");
    Answer list = server.get("/v1/tasks?queue=" + queue);
    assertThat(list.body().path("tasks")).isEmpty();
    assertThat(target.received(path)).isEmpty();
  }

  // --- read: long-poll, Prefer, list, attempts ---

  @Test
  void long_poll_answers_as_soon_as_the_task_finishes() throws Exception {
    String path = path("held");
    CountDownLatch release = new CountDownLatch(1);
    target.on(path, heldUntil(release));
    String id = server.createTask(json("{'callbackUrl':'%s'}", target.url(path)));
    CompletableFuture<Answer> poll =
        CompletableFuture.supplyAsync(() -> server.get("/v1/tasks/" + id + "?wait=20s"));
    eventually()
        .until(
            () ->
                target.received(path).size() == 1
                    && server.server().engine().waitingFor(new TaskId(id)) == 1);

    release.countDown();

    Answer answer =
        poll.get(10, TimeUnit.SECONDS); // half the wait: answered by the finish, not the deadline
    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.body().path("status").asText()).isEqualTo("succeeded");
  }

  /** Holds each call until {@code release} opens (30 s at most), then answers 200. */
  private static Function<Received, Reply> heldUntil(CountDownLatch release) {
    return request -> {
      try {
        release.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return Reply.ok("{}");
    };
  }

  @Test
  void long_poll_on_a_task_that_does_not_finish_answers_after_the_wait_with_the_task() {
    String id =
        server.createTask(
            json("{'callbackUrl':'%s','delay':'1h'}", target.url(path("much-later"))));

    long start = System.nanoTime();
    Answer answer = server.get("/v1/tasks/" + id + "?wait=1s");
    long tookMs = (System.nanoTime() - start) / 1_000_000;

    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.body().path("status").asText()).isEqualTo("scheduled");
    assertThat(tookMs).isBetween(950L, 3_000L);
  }

  @Test
  void long_poll_answers_at_once_when_the_task_is_cancelled_meanwhile() throws Exception {
    String id =
        server.createTask(
            json("{'callbackUrl':'%s','delay':'1h'}", target.url(path("cancelled-while-polled"))));
    CompletableFuture<Answer> poll =
        CompletableFuture.supplyAsync(() -> server.get("/v1/tasks/" + id + "?wait=20s"));
    eventually().until(() -> server.server().engine().waitingFor(new TaskId(id)) == 1);
    assertThat(cancel(id).status()).isEqualTo(200);

    Answer answer =
        poll.get(10, TimeUnit.SECONDS); // half the wait: answered by the cancel, not the deadline

    assertThat(answer.body().path("status").asText()).isEqualTo("cancelled");
  }

  @Test
  void long_poll_longer_than_60s_is_a_400() {
    String id =
        server.createTask(
            json("{'callbackUrl':'%s','delay':'1h'}", target.url(path("wait-too-long"))));

    Answer answer = server.get("/v1/tasks/" + id + "?wait=61s");

    assertProblem(answer, 400);
    assertThat(problemFields(answer)).containsExactly("wait");
  }

  @Test
  void prefer_wait_answers_200_with_the_finished_task_when_the_target_is_fast() {
    String path = path("fast");
    target.on(path, Reply.ok("{\"answer\":42}"));

    Answer answer =
        server.post(
            "/v1/tasks", json("{'callbackUrl':'%s'}", target.url(path)), "Prefer", "wait=5");

    assertThat(answer.status()).as(answer.text()).isEqualTo(200);
    assertThat(answer.header("Preference-Applied")).isEqualTo("wait=5");
    JsonNode task = answer.body();
    assertThat(task.path("taskId").asText()).startsWith("tsk_");
    assertThat(task.path("status").asText()).isEqualTo("succeeded");
    assertThat(task.path("attempts").asInt()).isEqualTo(1);
    assertThat(task.path("result").path("body").path("answer").asInt()).isEqualTo(42);
    assertThat(task.path("finishedAt").isTextual()).isTrue();
  }

  @Test
  void prefer_wait_answers_202_when_the_target_is_slower_than_the_wait() {
    String path = path("slow-for-prefer");
    CountDownLatch release = new CountDownLatch(1);
    target.on(path, heldUntil(release));

    long start = System.nanoTime();
    Answer answer =
        server.post(
            "/v1/tasks", json("{'callbackUrl':'%s'}", target.url(path)), "Prefer", "wait=1");
    long tookMs = (System.nanoTime() - start) / 1_000_000;
    release.countDown();

    assertThat(answer.status())
        .as("answered while the call was still held: " + answer.text())
        .isEqualTo(202);
    assertThat(answer.body().path("taskId").asText()).startsWith("tsk_");
    assertThat(answer.header("Location"))
        .isEqualTo("/v1/tasks/" + answer.body().path("taskId").asText());
    assertThat(tookMs).as("waited the preferred second").isGreaterThanOrEqualTo(900L);
  }

  @Test
  void list_shows_newest_first_pages_with_a_cursor_and_filters_by_status_and_queue() {
    String queue = unique("list");
    String other = unique("list-other");
    String path = path("listed");
    String first =
        server.createTask(json("{'callbackUrl':'%s','queue':'%s'}", target.url(path), queue));
    String second =
        server.createTask(json("{'callbackUrl':'%s','queue':'%s'}", target.url(path), queue));
    String third =
        server.createTask(json("{'callbackUrl':'%s','queue':'%s'}", target.url(path), queue));
    String later =
        server.createTask(
            json("{'callbackUrl':'%s','queue':'%s','delay':'1h'}", target.url(path), queue));
    String elsewhere =
        server.createTask(json("{'callbackUrl':'%s','queue':'%s'}", target.url(path), other));
    List.of(first, second, third, elsewhere).forEach(server::awaitFinished);

    Answer all = server.get("/v1/tasks?queue=" + queue);
    assertThat(all.status()).isEqualTo(200);
    assertThat(texts(all.body().path("tasks"), "taskId"))
        .containsExactly(later, third, second, first);
    assertThat(all.body().path("nextCursor").isNull()).isTrue();

    Answer page1 = server.get("/v1/tasks?queue=" + queue + "&limit=2");
    assertThat(texts(page1.body().path("tasks"), "taskId")).containsExactly(later, third);
    String cursor = page1.body().path("nextCursor").asText();
    assertThat(cursor).isNotBlank();
    Answer page2 = server.get("/v1/tasks?queue=" + queue + "&limit=2&cursor=" + cursor);
    assertThat(texts(page2.body().path("tasks"), "taskId")).containsExactly(second, first);
    assertThat(page2.body().path("nextCursor").isNull()).isTrue();

    Answer scheduled = server.get("/v1/tasks?queue=" + queue + "&status=scheduled");
    assertThat(texts(scheduled.body().path("tasks"), "taskId")).containsExactly(later);
    Answer succeeded = server.get("/v1/tasks?queue=" + queue + "&status=succeeded");
    assertThat(texts(succeeded.body().path("tasks"), "taskId"))
        .containsExactly(third, second, first);
    Answer otherQueue = server.get("/v1/tasks?queue=" + other);
    assertThat(texts(otherQueue.body().path("tasks"), "taskId")).containsExactly(elsewhere);
    assertThat(texts(otherQueue.body().path("tasks"), "queue")).containsExactly(other);
  }

  @Test
  void attempts_list_every_attempt_with_its_timing_outcome_and_response() {
    String path = path("attempts");
    target.onSequence(
        path,
        new Reply(500, Map.of("Content-Type", "text/plain"), "boom: disk full", Duration.ZERO),
        Reply.ok("{\"fine\":true}"));
    String id =
        server.createTask(
            json(
                "{'callbackUrl':'%s','backoff':{'type':'fixed','initial':'10ms','jitter':false}}",
                target.url(path)));
    server.awaitFinished(id);

    JsonNode attempts = attempts(id);

    assertThat(attempts).hasSize(2);
    for (JsonNode attempt : attempts) {
      assertThat(
              attempt.has("number")
                  && attempt.has("startedAt")
                  && attempt.has("finishedAt")
                  && attempt.has("durationMs")
                  && attempt.has("outcome")
                  && attempt.has("statusCode")
                  && attempt.has("error")
                  && attempt.has("responseExcerpt")
                  && attempt.has("node"))
          .as("all fields of README: API: %s", attempt)
          .isTrue();
      Instant started = instant(attempt.path("startedAt"));
      Instant finished = instant(attempt.path("finishedAt"));
      assertThat(finished).isAfterOrEqualTo(started);
      assertThat(attempt.path("durationMs").asLong())
          .isCloseTo(millisBetween(started, finished), within(2L));
      assertThat(attempt.path("node").asText()).isNotBlank();
    }
    JsonNode failed = attempts.get(0);
    assertThat(failed.path("number").asInt()).isEqualTo(1);
    assertThat(failed.path("outcome").asText()).isEqualTo("http_error");
    assertThat(failed.path("statusCode").asInt()).isEqualTo(500);
    assertThat(failed.path("error").asText()).contains("500");
    assertThat(failed.path("responseExcerpt").asText()).contains("boom: disk full");
    JsonNode succeeded = attempts.get(1);
    assertThat(succeeded.path("number").asInt()).isEqualTo(2);
    assertThat(succeeded.path("outcome").asText()).isEqualTo("succeeded");
    assertThat(succeeded.path("statusCode").asInt()).isEqualTo(200);
    assertThat(succeeded.path("error").isNull()).isTrue();
    assertThat(succeeded.path("responseExcerpt").asText()).contains("fine");
    assertThat(instant(succeeded.path("startedAt")))
        .isAfterOrEqualTo(instant(failed.path("finishedAt")));
  }

  // --- cancel and retry ---

  @Test
  void cancelling_a_scheduled_task_cancels_it_and_cancelling_again_is_a_409() {
    String path = path("cancel-me");
    String id = server.createTask(json("{'callbackUrl':'%s','delay':'1h'}", target.url(path)));

    Answer cancelled = cancel(id);
    assertThat(cancelled.status()).as(cancelled.text()).isEqualTo(200);
    assertThat(cancelled.body().path("taskId").asText()).isEqualTo(id);
    assertThat(cancelled.body().path("status").asText()).isEqualTo("cancelled");
    assertThat(task(id).path("status").asText()).isEqualTo("cancelled");

    assertProblem(cancel(id), 409);
    assertThat(target.received(path)).isEmpty();
  }

  @Test
  void cancelling_a_task_waiting_to_retry_cancels_it_at_once() {
    String path = path("retry-later");
    target.on(path, Reply.status(500));
    String id =
        server.createTask(
            json(
                "{'callbackUrl':'%s','backoff':{'type':'fixed','initial':'1h','jitter':false}}",
                target.url(path)));
    awaitStatus(id, "retrying");

    Answer cancelled = cancel(id);

    assertThat(cancelled.status()).as(cancelled.text()).isEqualTo(200);
    assertThat(cancelled.body().path("status").asText()).isEqualTo("cancelled");
    assertThat(cancelled.body().path("nextAttemptAt").isNull())
        .as("no retry is planned any more")
        .isTrue();
    assertThat(task(id).path("status").asText()).isEqualTo("cancelled");
    assertThat(target.received(path)).hasSize(1);
  }

  @Test
  void cancelling_a_running_task_aborts_the_call_and_records_a_cancelled_attempt() {
    String path = path("long-job");
    target.on(path, Reply.ok("{}").holding(Duration.ofSeconds(30)));
    String id = server.createTask(json("{'callbackUrl':'%s','retries':3}", target.url(path)));
    eventually().until(() -> target.received(path).size() == 1);
    awaitStatus(id, "running");

    long start = System.nanoTime();
    Answer cancelled = cancel(id);
    long tookMs = (System.nanoTime() - start) / 1_000_000;

    assertThat(cancelled.status()).as(cancelled.text()).isEqualTo(200);
    assertThat(cancelled.body().path("status").asText()).isEqualTo("cancelled");
    assertThat(tookMs).isLessThan(2_000);
    eventually()
        .untilAsserted(
            () -> {
              JsonNode attempts = attempts(id);
              assertThat(attempts).hasSize(1);
              assertThat(attempts.get(0).path("outcome").asText()).isEqualTo("cancelled");
            });
    JsonNode task = task(id);
    assertThat(task.path("status").asText()).isEqualTo("cancelled");
    assertThat(task.path("finishedAt").isTextual()).isTrue();
    assertThat(target.received(path)).as("a cancelled task is not retried").hasSize(1);
  }

  @Test
  void retrying_a_failed_task_queues_it_again_and_keeps_its_attempts() {
    String path = path("fails-once");
    target.onSequence(path, Reply.status(500), Reply.ok("{\"second\":true}"));
    String id = server.createTask(json("{'callbackUrl':'%s','retries':0}", target.url(path)));
    JsonNode failed = server.awaitFinished(id);
    assertThat(failed.path("status").asText()).isEqualTo("failed");
    assertThat(failed.path("attempts").asInt()).isEqualTo(1);

    Answer retried = retry(id);
    assertThat(retried.status()).as(retried.text()).isEqualTo(200);
    assertThat(retried.body().path("status").asText()).isEqualTo("queued");
    assertThat(retried.body().path("maxAttempts").asInt()).as("a fresh retry budget").isEqualTo(2);

    JsonNode task = server.awaitFinished(id);
    assertThat(task.path("status").asText()).isEqualTo("succeeded");
    assertThat(task.path("attempts").asInt()).isEqualTo(2);
    assertThat(task.path("result").path("body").path("second").asBoolean()).isTrue();
    assertThat(texts(attempts(id), "outcome")).containsExactly("http_error", "succeeded");
    assertThat(target.received(path))
        .extracting(r -> r.header("Offload-Attempt"))
        .containsExactly("1", "2");
  }

  @Test
  void retrying_a_cancelled_task_runs_it() {
    String path = path("cancelled-then-retried");
    String id = server.createTask(json("{'callbackUrl':'%s','delay':'1h'}", target.url(path)));
    assertThat(cancel(id).status()).isEqualTo(200);

    Answer retried = retry(id);

    assertThat(retried.status()).as(retried.text()).isEqualTo(200);
    assertThat(retried.body().path("status").asText()).isEqualTo("queued");
    assertThat(server.awaitFinished(id).path("status").asText()).isEqualTo("succeeded");
    assertThat(target.received(path)).hasSize(1);
  }

  @Test
  void retrying_a_succeeded_task_is_a_409() {
    String id = server.createTask(json("{'callbackUrl':'%s'}", target.url(path("done"))));
    assertThat(server.awaitFinished(id).path("status").asText()).isEqualTo("succeeded");

    assertProblem(retry(id), 409);
    assertThat(task(id).path("status").asText()).isEqualTo("succeeded");
  }

  // --- idempotency ---

  @Test
  void the_same_idempotency_key_header_and_body_replays_the_first_task() {
    String path = path("charge");
    String key = "order-" + UUID.randomUUID();
    String body = json("{'callbackUrl':'%s','payload':{'amount':100}}", target.url(path));

    Answer first = server.post("/v1/tasks", body, "Idempotency-Key", key);
    Answer second = server.post("/v1/tasks", body, "Idempotency-Key", key);

    assertThat(first.status()).as(first.text()).isEqualTo(202);
    assertThat(second.status()).as(second.text()).isEqualTo(200);
    assertThat(second.header("Idempotent-Replayed")).isEqualTo("true");
    String id = first.body().path("taskId").asText();
    assertThat(second.body().path("taskId").asText()).isEqualTo(id);
    assertThat(second.body().path("callbackUrl").asText())
        .as("the replay is the whole task")
        .isEqualTo(target.url(path));
    assertThat(second.body().has("status")).isTrue();
    server.awaitFinished(id);
    assertThat(target.received(path)).hasSize(1);
  }

  @Test
  void the_same_idempotency_key_header_with_a_different_body_is_a_409() {
    String path = path("charge-conflict");
    String key = "order-" + UUID.randomUUID();
    Answer first =
        server.post(
            "/v1/tasks",
            json("{'callbackUrl':'%s','payload':{'amount':100}}", target.url(path)),
            "Idempotency-Key",
            key);
    Answer second =
        server.post(
            "/v1/tasks",
            json("{'callbackUrl':'%s','payload':{'amount':999}}", target.url(path)),
            "Idempotency-Key",
            key);

    assertThat(first.status()).isEqualTo(202);
    assertProblem(second, 409);
    server.awaitFinished(first.body().path("taskId").asText());
    assertThat(target.received(path)).hasSize(1);
  }

  @Test
  void the_idempotency_key_body_field_replays_and_conflicts_like_the_header() {
    String path = path("charge-field");
    String key = "order-" + UUID.randomUUID();
    String body =
        json(
            "{'callbackUrl':'%s','payload':{'amount':100},'idempotencyKey':'%s'}",
            target.url(path), key);

    Answer first = server.post("/v1/tasks", body);
    Answer second = server.post("/v1/tasks", body);
    Answer different =
        server.post(
            "/v1/tasks",
            json(
                "{'callbackUrl':'%s','payload':{'amount':5},'idempotencyKey':'%s'}",
                target.url(path), key));

    assertThat(first.status()).as(first.text()).isEqualTo(202);
    assertThat(second.status()).as(second.text()).isEqualTo(200);
    assertThat(second.header("Idempotent-Replayed")).isEqualTo("true");
    String id = first.body().path("taskId").asText();
    assertThat(second.body().path("taskId").asText()).isEqualTo(id);
    assertProblem(different, 409);
    server.awaitFinished(id);
    assertThat(target.received(path)).hasSize(1);
  }

  // --- progress ---

  @Test
  void progress_posted_with_the_task_token_shows_on_the_task() throws InterruptedException {
    String path = path("reports-progress");
    AtomicReference<String> token = new AtomicReference<>();
    CountDownLatch called = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    target.on(
        path,
        request -> {
          token.set(request.header("Offload-Task-Token"));
          called.countDown();
          await(release);
          return Reply.ok("{}");
        });
    String id = server.createTask(json("{'callbackUrl':'%s'}", target.url(path)));
    assertThat(called.await(10, TimeUnit.SECONDS)).isTrue();

    try {
      Answer answer =
          server.post(
              "/v1/tasks/" + id + "/progress",
              "{\"progress\":{\"percent\":40,\"step\":\"encoding\"}}",
              "Offload-Task-Token",
              token.get());

      assertThat(answer.status()).as(answer.text()).isEqualTo(200);
      assertThat(answer.body().path("progress").path("percent").asInt()).isEqualTo(40);
      JsonNode task = task(id);
      assertThat(task.path("status").asText()).isEqualTo("running");
      assertThat(task.path("progress")).isEqualTo(parse("{\"percent\":40,\"step\":\"encoding\"}"));
    } finally {
      release.countDown();
    }
    assertThat(server.awaitFinished(id).path("status").asText()).isEqualTo("succeeded");
  }

  @Test
  void progress_with_a_wrong_token_is_a_401() {
    String id =
        server.createTask(json("{'callbackUrl':'%s','delay':'1h'}", target.url(path("no-token"))));
    String path = path("token-of-another-task");
    String other = server.createTask(json("{'callbackUrl':'%s'}", target.url(path)));
    server.awaitFinished(other);
    String otherToken = target.received(path).get(0).header("Offload-Task-Token");

    assertProblem(
        server.post(
            "/v1/tasks/" + id + "/progress",
            "{\"progress\":1}",
            "Offload-Task-Token",
            "not-the-token"),
        401);
    assertProblem(
        server.post(
            "/v1/tasks/" + id + "/progress", "{\"progress\":1}", "Offload-Task-Token", otherToken),
        401);
    assertProblem(server.post("/v1/tasks/" + id + "/progress", "{\"progress\":1}"), 401);
    assertThat(task(id).path("progress").isNull()).isTrue();
  }

  @Test
  void progress_on_a_finished_task_is_a_409() {
    String path = path("finished-no-progress");
    String id = server.createTask(json("{'callbackUrl':'%s'}", target.url(path)));
    server.awaitFinished(id);
    String token = target.received(path).get(0).header("Offload-Task-Token");

    assertProblem(
        server.post(
            "/v1/tasks/" + id + "/progress", "{\"progress\":100}", "Offload-Task-Token", token),
        409);
    assertThat(task(id).path("progress").isNull()).isTrue();
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(20, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
