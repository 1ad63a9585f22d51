package dev.offload.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.offload.client.Accepted;
import dev.offload.client.Attempt;
import dev.offload.client.AttemptOutcome;
import dev.offload.client.Backoff;
import dev.offload.client.FieldError;
import dev.offload.client.ListQuery;
import dev.offload.client.OffloadClient;
import dev.offload.client.OffloadConnectionException;
import dev.offload.client.OffloadException;
import dev.offload.client.TaskPage;
import dev.offload.client.TaskRequest;
import dev.offload.client.TaskStatus;
import dev.offload.client.TaskView;
import dev.offload.server.TestTarget.Received;
import dev.offload.server.TestTarget.Reply;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** The real {@code offload-client} against the real server: every client method, end to end. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClientIT {
  record Report(String url, int pages) {}

  record Video(String videoUrl, String format) {}

  private static final Duration AWAIT = Duration.ofSeconds(30);
  private final AtomicInteger names = new AtomicInteger();
  private RunningServer server;
  private TestTarget target;
  private OffloadClient client;

  @BeforeAll
  void start(@TempDir Path dataDir) throws IOException {
    target = new TestTarget();
    server = new RunningServer(dataDir);
    client =
        OffloadClient.builder()
            .baseUrl(server.url(""))
            .httpClient(server.http())
            .requestTimeout(Duration.ofSeconds(10))
            .build();
  }

  @AfterAll
  void stop() {
    if (client != null) client.close();
    if (server != null) server.close();
    if (target != null) target.close();
  }

  private String unique(String prefix) {
    return prefix + "-" + names.incrementAndGet() + "-" + System.nanoTime();
  }

  private TaskRequest.Builder aTaskTo(String path) {
    return TaskRequest.builder().callbackUrl(target.url(path));
  }

  private static Backoff fastRetries() {
    return Backoff.fixed(Duration.ofMillis(50)).withJitter(false);
  }

  @Test
  void create_runs_the_task_and_await_returns_it_finished_with_a_typed_result() {
    String path = "/" + unique("transcode");
    String hook = "/" + unique("hook");
    target.on(path, Reply.ok("{\"url\":\"https://cdn/r.pdf\",\"pages\":3}"));

    Accepted accepted =
        client
            .tasks()
            .create(
                aTaskTo(path)
                    .header("X-Customer", "c-42")
                    .payload(new Video("https://cdn/v.mov", "mp4"))
                    .queue(unique("video"))
                    .webhookUrl(target.url(hook))
                    .metadata(Map.of("orderId", "1234"))
                    .build());
    TaskView task = client.tasks().await(accepted.taskId(), AWAIT);

    assertThat(accepted.taskId()).startsWith("tsk_");
    assertThat(accepted.status()).isIn(TaskStatus.QUEUED, TaskStatus.RUNNING);
    assertThat(accepted.replayed()).isFalse();
    assertThat(accepted.task()).isNull();
    assertThat(task.status()).isEqualTo(TaskStatus.SUCCEEDED);
    assertThat(task.resultAs(Report.class)).isEqualTo(new Report("https://cdn/r.pdf", 3));
    assertThat(task.result().statusCode()).isEqualTo(200);
    assertThat(task.result().truncated()).isFalse();
    assertThat(task.attempts()).isEqualTo(1);
    assertThat(task.createdAt()).isNotNull();
    assertThat(task.startedAt()).isNotNull();
    assertThat(task.finishedAt()).isAfterOrEqualTo(task.startedAt());
    assertThat(task.metadataAs(Map.class)).isEqualTo(Map.of("orderId", "1234"));
    assertThat(task.payload().path("format").asText()).isEqualTo("mp4");
    assertThat(task.headerNames()).containsExactly("X-Customer");
    assertThat(task.webhook().url()).isEqualTo(target.url(hook));
    Received call = target.received(path).getFirst();
    assertThat(call.method()).isEqualTo("POST");
    assertThat(call.header("X-Customer")).isEqualTo("c-42");
    assertThat(call.header("Content-Type")).startsWith("application/json");
    assertThat(call.body()).isEqualTo("{\"videoUrl\":\"https://cdn/v.mov\",\"format\":\"mp4\"}");
    Awaitility.await()
        .atMost(Duration.ofSeconds(15))
        .untilAsserted(
            () ->
                assertThat(client.tasks().get(accepted.taskId()).webhook().status())
                    .isEqualTo("delivered"));
  }

  @Test
  void every_option_of_a_task_request_reaches_the_server() {
    Instant before = Instant.now();
    TaskView delayed =
        client
            .tasks()
            .get(
                client
                    .tasks()
                    .create(
                        aTaskTo("/never")
                            .method("put")
                            .body("a,b\n1,2", "text/csv")
                            .delay(Duration.ofHours(1))
                            .retries(7)
                            .backoff(
                                Backoff.exponential()
                                    .withInitial(Duration.ofMillis(250))
                                    .withMax(Duration.ofMinutes(2))
                                    .withFactor(3))
                            .timeout(Duration.ofSeconds(90))
                            .idempotencyKey(unique("key"))
                            .priority(-120)
                            .build())
                    .taskId());
    Instant runAt =
        Instant.now().plus(Duration.ofDays(30)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    TaskView atTime =
        client
            .tasks()
            .get(
                client
                    .tasks()
                    .create(
                        aTaskTo("/never")
                            .payloadJson("[1,{\"a\":null}]")
                            .runAt(runAt)
                            .noTimeout()
                            .retries(0)
                            .backoff(Backoff.linear())
                            .build())
                    .taskId());

    assertThat(delayed.status()).isEqualTo(TaskStatus.SCHEDULED);
    assertThat(delayed.method()).isEqualTo("PUT");
    assertThat(delayed.body()).isEqualTo("a,b\n1,2");
    assertThat(delayed.contentType()).isEqualTo("text/csv");
    assertThat(delayed.payload().isNull()).isTrue();
    assertThat(delayed.maxAttempts()).isEqualTo(8);
    assertThat(delayed.timeout()).isEqualTo(Duration.ofSeconds(90));
    assertThat(delayed.runAt())
        .isBetween(before.plus(Duration.ofMinutes(59)), Instant.now().plus(Duration.ofMinutes(61)));
    assertThat(delayed.idempotencyKey()).startsWith("key-");
    assertThat(delayed.queue()).isEqualTo("default");
    assertThat(delayed.priority()).isEqualTo(-120);
    assertThat(atTime.priority()).isZero();
    assertThat(atTime.status()).isEqualTo(TaskStatus.SCHEDULED);
    assertThat(atTime.runAt()).isEqualTo(runAt);
    assertThat(atTime.timeout()).isNull();
    assertThat(atTime.maxAttempts()).isEqualTo(1);
    assertThat(atTime.payload().toString()).isEqualTo("[1,{\"a\":null}]");
    assertThat(client.tasks().cancel(delayed.taskId()).status()).isEqualTo(TaskStatus.CANCELLED);
    assertThat(client.tasks().cancel(atTime.taskId()).status()).isEqualTo(TaskStatus.CANCELLED);
  }

  @Test
  void delete_refuses_an_unfinished_task_and_removes_a_finished_one_with_its_retention() {
    String id =
        client
            .tasks()
            .create(
                aTaskTo("/never").delay(Duration.ofHours(1)).retention(Duration.ofDays(2)).build())
            .taskId();

    OffloadException unfinished =
        catchThrowableOfType(OffloadException.class, () -> client.tasks().delete(id));
    client.tasks().cancel(id);
    client.tasks().delete(id);
    OffloadException gone =
        catchThrowableOfType(OffloadException.class, () -> client.tasks().get(id));
    String kept =
        client
            .tasks()
            .create(aTaskTo("/never").delay(Duration.ofHours(1)).retainForever().build())
            .taskId();

    assertThat(unfinished.status()).isEqualTo(409);
    assertThat(gone.status()).isEqualTo(404);
    assertThat(client.tasks().cancel(kept).status()).isEqualTo(TaskStatus.CANCELLED);
    client.tasks().delete(kept);
  }

  @Test
  void an_idempotent_create_is_replayed_and_the_same_key_with_another_request_is_a_409() {
    String key = unique("order");
    TaskRequest request =
        aTaskTo("/never")
            .delay(Duration.ofHours(1))
            .payload(Map.of("n", 1))
            .idempotencyKey(key)
            .build();

    Accepted first = client.tasks().create(request);
    Accepted again = client.tasks().create(request);
    Accepted setInAnotherOrder =
        client
            .tasks()
            .create(
                TaskRequest.builder()
                    .idempotencyKey(key)
                    .payload(Map.of("n", 1))
                    .delay(Duration.ofHours(1))
                    .callbackUrl(target.url("/never"))
                    .build());
    OffloadException conflict =
        catchThrowableOfType(
            OffloadException.class,
            () -> client.tasks().create(request.toBuilder().payload(Map.of("n", 2)).build()));

    assertThat(first.replayed()).isFalse();
    assertThat(again.replayed()).isTrue();
    assertThat(again.taskId()).isEqualTo(first.taskId());
    assertThat(again.task().idempotencyKey()).isEqualTo(key);
    assertThat(again.status()).isEqualTo(TaskStatus.SCHEDULED);
    assertThat(setInAnotherOrder.replayed()).isTrue();
    assertThat(setInAnotherOrder.taskId()).isEqualTo(first.taskId());
    assertThat(conflict.status()).isEqualTo(409);
    assertThat(conflict.detail()).contains(key).contains(first.taskId());
    assertThat(conflict.errors()).extracting(FieldError::field).containsExactly("idempotencyKey");
  }

  @Test
  void create_with_a_wait_returns_the_finished_task_when_it_is_fast_and_the_id_when_it_is_not() {
    String fast = "/" + unique("fast");
    String slow = "/" + unique("slow");
    target.on(fast, Reply.ok("{\"done\":true}"));
    target.on(slow, Reply.ok("{\"done\":true}").holding(Duration.ofSeconds(3)));

    Accepted finished = client.tasks().create(aTaskTo(fast).build(), Duration.ofSeconds(10));
    long start = System.nanoTime();
    Accepted pending = client.tasks().create(aTaskTo(slow).build(), Duration.ofMillis(500));
    long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

    assertThat(finished.status()).isEqualTo(TaskStatus.SUCCEEDED);
    assertThat(finished.replayed()).isFalse();
    assertThat(finished.task().result().body().path("done").asBoolean()).isTrue();
    assertThat(pending.status().isTerminal()).isFalse();
    assertThat(pending.task()).isNull();
    assertThat(waitedMs).as("the wait is rounded up to whole seconds").isBetween(900L, 2_900L);
    assertThatThrownBy(() -> client.tasks().create(aTaskTo(fast).build(), Duration.ofSeconds(61)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void create_batch_answers_in_order_and_creates_nothing_when_one_task_is_invalid() {
    String queue = unique("batch");
    List<TaskRequest> requests = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      requests.add(
          aTaskTo("/never")
              .queue(queue)
              .delay(Duration.ofHours(1))
              .metadata(Map.of("index", i))
              .build());
    }
    String badQueue = unique("bad-batch");
    List<TaskRequest> invalid =
        List.of(
            aTaskTo("/never").queue(badQueue).delay(Duration.ofHours(1)).build(),
            aTaskTo("/never").queue(badQueue).retries(101).build(),
            TaskRequest.builder().callbackUrl("ftp://nowhere").queue(badQueue).build());

    String key = unique("batch-key");
    String earlier =
        client
            .tasks()
            .create(aTaskTo("/never").delay(Duration.ofHours(1)).idempotencyKey(key).build())
            .taskId();
    requests.add(aTaskTo("/never").delay(Duration.ofHours(1)).idempotencyKey(key).build());

    List<Accepted> accepted = client.tasks().createBatch(requests);
    OffloadException problem =
        catchThrowableOfType(OffloadException.class, () -> client.tasks().createBatch(invalid));

    assertThat(accepted)
        .hasSize(4)
        .allSatisfy(a -> assertThat(a.status()).isEqualTo(TaskStatus.SCHEDULED));
    assertThat(accepted).extracting(Accepted::replayed).containsExactly(false, false, false, true);
    assertThat(accepted.get(3).taskId()).isEqualTo(earlier);
    for (int i = 0; i < 3; i++) {
      assertThat(client.tasks().get(accepted.get(i).taskId()).metadata().path("index").asInt())
          .isEqualTo(i);
    }
    assertThat(problem.status()).isEqualTo(400);
    assertThat(problem.errors())
        .extracting(FieldError::field)
        .containsExactly("tasks[1].retries", "tasks[2].callbackUrl");
    assertThat(client.tasks().list(ListQuery.builder().queue(badQueue).build()).tasks()).isEmpty();
    assertThatThrownBy(() -> client.tasks().createBatch(List.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void an_invalid_request_is_a_problem_naming_every_invalid_field() {
    OffloadException problem =
        catchThrowableOfType(
            OffloadException.class,
            () ->
                client
                    .tasks()
                    .create(
                        aTaskTo("/never")
                            .queue("no spaces")
                            .retries(1_000)
                            .backoff(
                                Backoff.exponential()
                                    .withInitial(Duration.ofMinutes(5))
                                    .withMax(Duration.ofMinutes(1)))
                            .timeout(Duration.ofDays(8))
                            .header("Content-Type", "text/plain")
                            .build()));

    assertThat(problem.status()).isEqualTo(400);
    assertThat(problem.type()).isEqualTo("about:blank");
    assertThat(problem.title()).isEqualTo("Invalid request");
    assertThat(problem.detail()).contains("5 fields are invalid");
    assertThat(problem.requestId()).startsWith("req_");
    assertThat(problem.request()).isEqualTo("POST /v1/tasks");
    assertThat(problem.errors())
        .extracting(FieldError::field)
        .containsExactlyInAnyOrder(
            "queue", "retries", "backoff.max", "timeout", "headers.Content-Type");
    assertThat(problem.errors()).allSatisfy(e -> assertThat(e.message()).isNotBlank());
    assertThat(problem.getMessage()).startsWith("400 Invalid request: 5 fields are invalid");
  }

  @Test
  void reading_a_task_that_does_not_exist_is_a_404() {
    OffloadException unknown =
        catchThrowableOfType(
            OffloadException.class, () -> client.tasks().get("tsk_01JD0000000000000000000000"));
    OffloadException malformed =
        catchThrowableOfType(OffloadException.class, () -> client.tasks().attempts("not a task"));

    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.detail()).contains("tsk_01JD0000000000000000000000");
    assertThat(malformed.status()).isEqualTo(404);
  }

  @Test
  void
      await_returns_the_unfinished_task_when_its_timeout_passes_and_wakes_when_the_task_is_cancelled() {
    String path = "/" + unique("slow");
    target.on(path, Reply.ok("{}").holding(Duration.ofSeconds(20)));
    String id = client.tasks().create(aTaskTo(path).retries(0).build()).taskId();

    long start = System.nanoTime();
    TaskView running = client.tasks().await(id, Duration.ofMillis(700));
    long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    TaskView once = client.tasks().await(id, Duration.ZERO);
    CompletableFuture<TaskView> awaiting =
        CompletableFuture.supplyAsync(() -> client.tasks().await(id, Duration.ofMinutes(2)));
    Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> !target.received(path).isEmpty());
    TaskView cancelled = client.tasks().cancel(id);
    TaskView woken = awaiting.join();

    assertThat(running.isTerminal()).isFalse();
    assertThat(waitedMs).isBetween(600L, 5_000L);
    assertThat(once.isTerminal()).isFalse();
    assertThat(cancelled.status()).isEqualTo(TaskStatus.CANCELLED);
    assertThat(woken.status()).isEqualTo(TaskStatus.CANCELLED);
    assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start))
        .as("woken by the cancel, not the 20s target")
        .isLessThan(15);
    Awaitility.await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () ->
                assertThat(client.tasks().attempts(id))
                    .extracting(Attempt::outcome)
                    .containsExactly(AttemptOutcome.CANCELLED));
  }

  @Test
  void list_pages_through_a_queue_newest_first_and_filters_by_status() {
    String queue = unique("listing");
    List<String> created = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      created.add(
          client
              .tasks()
              .create(aTaskTo("/never").queue(queue).delay(Duration.ofHours(1)).build())
              .taskId());
    }
    List<String> newestFirst = created.reversed();

    ListQuery query = ListQuery.builder().queue(queue).limit(2).build();
    TaskPage first = client.tasks().list(query);
    TaskPage second = client.tasks().list(query.after(first));
    TaskPage third = client.tasks().list(query.after(second));

    assertThat(first.tasks())
        .extracting(TaskView::taskId)
        .containsExactlyElementsOf(newestFirst.subList(0, 2));
    assertThat(second.tasks())
        .extracting(TaskView::taskId)
        .containsExactlyElementsOf(newestFirst.subList(2, 4));
    assertThat(third.tasks())
        .extracting(TaskView::taskId)
        .containsExactlyElementsOf(newestFirst.subList(4, 5));
    assertThat(first.hasMore()).isTrue();
    assertThat(third.hasMore()).isFalse();
    assertThat(third.nextCursor()).isNull();
    assertThat(client.tasks().stream(query).map(TaskView::taskId).toList())
        .containsExactlyElementsOf(newestFirst);
    assertThat(
            client
                .tasks()
                .list(ListQuery.builder().queue(queue).status(TaskStatus.SCHEDULED).build())
                .tasks())
        .hasSize(5);
    assertThat(
            client
                .tasks()
                .list(ListQuery.builder().queue(queue).status(TaskStatus.FAILED).build())
                .tasks())
        .isEmpty();
    assertThat(client.tasks().list(ListQuery.all()).tasks()).isNotEmpty();
    assertThat(
            catchThrowableOfType(
                    OffloadException.class,
                    () -> client.tasks().list(ListQuery.builder().limit(100_000).build()))
                .errors())
        .extracting(FieldError::field)
        .containsExactly("limit");
    created.forEach(client.tasks()::cancel);
  }

  @Test
  void attempts_lists_each_attempt_with_its_outcome() {
    String path = "/" + unique("flaky");
    target.onSequence(path, Reply.status(500), Reply.ok("{\"ok\":true}"));

    String id = client.tasks().create(aTaskTo(path).backoff(fastRetries()).build()).taskId();
    TaskView task = client.tasks().await(id, AWAIT);
    List<Attempt> attempts = client.tasks().attempts(id);

    assertThat(task.status()).isEqualTo(TaskStatus.SUCCEEDED);
    assertThat(attempts).extracting(Attempt::number).containsExactly(1, 2);
    assertThat(attempts)
        .extracting(Attempt::outcome)
        .containsExactly(AttemptOutcome.HTTP_ERROR, AttemptOutcome.SUCCEEDED);
    assertThat(attempts).extracting(Attempt::statusCode).containsExactly(500, 200);
    assertThat(attempts.getFirst().error()).contains("500");
    assertThat(attempts.getLast().error()).isNull();
    assertThat(attempts)
        .allSatisfy(
            a -> {
              assertThat(a.startedAt()).isNotNull();
              assertThat(a.finishedAt()).isAfterOrEqualTo(a.startedAt());
              assertThat(a.durationMs()).isNotNull().isNotNegative();
              assertThat(a.node()).isNotBlank();
            });
  }

  @Test
  void retry_requeues_a_failed_task_and_actions_in_the_wrong_state_are_409s() {
    String path = "/" + unique("down-then-up");
    target.onSequence(path, Reply.status(503), Reply.ok("{\"second\":\"try\"}"));
    String id = client.tasks().create(aTaskTo(path).retries(0).build()).taskId();

    TaskView failed = client.tasks().await(id, AWAIT);
    OffloadException cancelFailed =
        catchThrowableOfType(OffloadException.class, () -> client.tasks().cancel(id));
    TaskView requeued = client.tasks().retry(id);
    TaskView succeeded = client.tasks().await(id, AWAIT);
    OffloadException retrySucceeded =
        catchThrowableOfType(OffloadException.class, () -> client.tasks().retry(id));

    assertThat(failed.status()).isEqualTo(TaskStatus.FAILED);
    assertThat(failed.lastError()).contains("503");
    assertThat(cancelFailed.status()).isEqualTo(409);
    assertThat(cancelFailed.detail()).contains("failed");
    assertThat(requeued.status()).isIn(TaskStatus.QUEUED, TaskStatus.RUNNING, TaskStatus.SUCCEEDED);
    assertThat(succeeded.status()).isEqualTo(TaskStatus.SUCCEEDED);
    assertThat(succeeded.result().bodyText()).isEqualTo("{\"second\":\"try\"}");
    assertThat(client.tasks().attempts(id))
        .extracting(Attempt::outcome)
        .containsExactly(AttemptOutcome.HTTP_ERROR, AttemptOutcome.SUCCEEDED);
    assertThat(retrySucceeded.status()).isEqualTo(409);
  }

  @Test
  void the_target_reports_progress_with_its_task_token() {
    String path = "/" + unique("progress");
    AtomicReference<TaskView> reported = new AtomicReference<>();
    AtomicReference<OffloadException> wrongToken = new AtomicReference<>();
    target.on(
        path,
        request -> {
          String id = request.header("Offload-Task-Id");
          wrongToken.set(
              catchThrowableOfType(
                  OffloadException.class,
                  () -> client.tasks().progress(id, "not-the-token", Map.of("percent", 1))));
          reported.set(
              client
                  .tasks()
                  .progress(id, request.header("Offload-Task-Token"), Map.of("percent", 50)));
          return Reply.ok("{}");
        });

    TaskView task =
        client.tasks().await(client.tasks().create(aTaskTo(path).build()).taskId(), AWAIT);

    assertThat(reported.get().status()).isEqualTo(TaskStatus.RUNNING);
    assertThat(reported.get().progress().path("percent").asInt()).isEqualTo(50);
    assertThat(wrongToken.get().status()).isEqualTo(401);
    assertThat(task.status()).isEqualTo(TaskStatus.SUCCEEDED);
    assertThat(task.progressAs(Map.class)).isEqualTo(Map.of("percent", 50));
  }

  @Test
  void a_server_that_does_not_listen_is_a_connection_exception() throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    try (OffloadClient nowhere =
        OffloadClient.builder().baseUrl("http://127.0.0.1:" + closedPort).build()) {
      OffloadConnectionException e =
          catchThrowableOfType(
              OffloadConnectionException.class,
              () -> nowhere.tasks().get("tsk_01JD0000000000000000000000"));

      assertThat(e.status()).isZero();
      assertThat(e.getMessage())
          .contains("cannot connect to http://127.0.0.1:" + closedPort)
          .contains("GET /v1/tasks/tsk_01JD0000000000000000000000");
    }
  }

  @Test
  void sends_the_token_under_a_base_path_and_reports_timeouts_and_answers_that_are_not_problems() {
    String prefix = "/" + unique("proxy");
    String id = "tsk_01JD0000000000000000000000";
    target.on(prefix + "/v1/tasks/" + id, Reply.ok("{}").holding(Duration.ofSeconds(3)));
    target.on(
        prefix + "/v1/tasks/" + id + "/attempts",
        new Reply(
            502,
            Map.of("Content-Type", "text/html"),
            "<html><body>Bad gateway</body></html>",
            Duration.ZERO));

    try (OffloadClient proxied =
        OffloadClient.builder()
            .baseUrl(target.url(prefix) + "/")
            .token("s3cret")
            .requestTimeout(Duration.ofMillis(300))
            .build()) {
      OffloadConnectionException timeout =
          catchThrowableOfType(OffloadConnectionException.class, () -> proxied.tasks().get(id));
      OffloadException badGateway =
          catchThrowableOfType(OffloadException.class, () -> proxied.tasks().attempts(id));

      assertThat(timeout.getMessage()).contains("no answer").contains("300ms");
      assertThat(badGateway).isNotInstanceOf(OffloadConnectionException.class);
      assertThat(badGateway.status()).isEqualTo(502);
      assertThat(badGateway.detail()).contains("Bad gateway");
      assertThat(
              target
                  .received(prefix + "/v1/tasks/" + id + "/attempts")
                  .getFirst()
                  .header("Authorization"))
          .isEqualTo("Bearer s3cret");
    }
  }

  @Test
  void a_closed_client_refuses_calls() {
    OffloadClient closed =
        OffloadClient.builder().baseUrl(server.url("")).httpClient(server.http()).build();
    closed.close();

    assertThatThrownBy(() -> closed.tasks().list(ListQuery.all()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
  }
}
