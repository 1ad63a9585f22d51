package dev.offload.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.offload.client.Accepted;
import dev.offload.client.Attempt;
import dev.offload.client.AttemptOutcome;
import dev.offload.client.Backoff;
import dev.offload.client.Heartbeat;
import dev.offload.client.HeldLease;
import dev.offload.client.LeaseRequest;
import dev.offload.client.LeaseState;
import dev.offload.client.LeasedTask;
import dev.offload.client.OffloadClient;
import dev.offload.client.OffloadException;
import dev.offload.client.TaskRequest;
import dev.offload.client.TaskStatus;
import dev.offload.client.TaskView;
import dev.offload.client.Workers;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** The pull-worker API (README: Pull workers) through the real client against the real server. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WorkerApiIT {
  record Email(String to, String subject) {}

  private static final Duration AWAIT = Duration.ofSeconds(30);
  private final AtomicInteger names = new AtomicInteger();
  private RunningServer server;
  private OffloadClient client;
  private Workers workers;

  @BeforeAll
  void start(@TempDir Path dataDir) {
    server = new RunningServer(dataDir);
    client =
        OffloadClient.builder()
            .baseUrl(server.url(""))
            .httpClient(server.http())
            .requestTimeout(Duration.ofSeconds(10))
            .build();
    workers = client.workers();
  }

  @AfterAll
  void stop() {
    if (client != null) client.close();
    if (server != null) server.close();
  }

  private String uniqueName() {
    return "job-" + names.incrementAndGet() + "-" + System.nanoTime();
  }

  private LeasedTask leaseOne(String name, String workerId) {
    List<LeasedTask> leased =
        workers.lease(
            new LeaseRequest(
                workerId,
                List.of(),
                List.of(name),
                1,
                Duration.ofSeconds(5),
                Duration.ofSeconds(30)));
    assertThat(leased).hasSize(1);
    return leased.getFirst();
  }

  @Test
  void a_pull_task_is_leased_with_its_payload_and_completed_with_a_json_result() {
    String name = uniqueName();
    Accepted accepted =
        client
            .tasks()
            .create(
                TaskRequest.builder().name(name).payload(new Email("a@example.com", "hi")).build());
    assertThat(accepted.status()).isEqualTo(TaskStatus.QUEUED);

    LeasedTask leased = leaseOne(name, "mailer-1");
    assertThat(leased.taskId()).isEqualTo(accepted.taskId());
    assertThat(leased.name()).isEqualTo(name);
    assertThat(leased.attempt()).isEqualTo(1);
    assertThat(leased.payloadAs(Email.class)).isEqualTo(new Email("a@example.com", "hi"));
    assertThat(leased.leaseToken()).startsWith("mailer-1/lease_");
    assertThat(client.tasks().get(accepted.taskId()).status()).isEqualTo(TaskStatus.RUNNING);

    Heartbeat beat =
        workers.heartbeat(
            leased.taskId(), leased.leaseToken(), Duration.ofSeconds(30), Map.of("sent", 0));
    assertThat(beat.cancelled()).isFalse();
    assertThat(beat.leaseExpiresAt()).isAfter(leased.leaseExpiresAt().minusMillis(1));
    assertThat(client.tasks().get(accepted.taskId()).progress().path("sent").asInt()).isZero();

    TaskView done =
        workers.complete(leased.taskId(), leased.leaseToken(), Map.of("messageId", "m-1"));

    assertThat(done.status()).isEqualTo(TaskStatus.SUCCEEDED);
    assertThat(done.result().statusCode()).isNull();
    assertThat(done.result().body().path("messageId").asText()).isEqualTo("m-1");
    assertThat(done.callbackUrl()).isNull();
    assertThat(done.method()).isNull();
    List<Attempt> attempts = client.tasks().attempts(accepted.taskId());
    assertThat(attempts)
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.outcome()).isEqualTo(AttemptOutcome.SUCCEEDED);
              assertThat(a.node()).isEqualTo("mailer-1");
            });
  }

  @Test
  void a_retryable_failure_is_retried_with_backoff_and_a_final_one_fails_the_task() {
    String name = uniqueName();
    String id =
        client
            .tasks()
            .create(
                TaskRequest.builder()
                    .name(name)
                    .retries(1)
                    .backoff(Backoff.fixed(Duration.ofMillis(300)).withJitter(false))
                    .build())
            .taskId();

    LeasedTask first = leaseOne(name, "w");
    TaskView retrying = workers.fail(id, first.leaseToken(), "SMTP said 451", true);
    assertThat(retrying.status()).isEqualTo(TaskStatus.RETRYING);
    assertThat(retrying.nextAttemptAt()).isNotNull();
    assertThat(retrying.lastError()).isEqualTo("SMTP said 451");

    LeasedTask second = leaseOne(name, "w");
    assertThat(second.attempt()).isEqualTo(2);
    TaskView failed = workers.fail(id, second.leaseToken(), "still 451", true);

    assertThat(failed.status()).isEqualTo(TaskStatus.FAILED);
    assertThat(client.tasks().attempts(id))
        .extracting(Attempt::outcome)
        .containsExactly(AttemptOutcome.WORKER_ERROR, AttemptOutcome.WORKER_ERROR);
  }

  @Test
  void a_non_retryable_failure_fails_the_task_at_once() {
    String name = uniqueName();
    String id = client.tasks().create(TaskRequest.builder().name(name).retries(5).build()).taskId();
    LeasedTask leased = leaseOne(name, "w");

    TaskView failed = workers.fail(id, leased.leaseToken(), "no such customer", false);

    assertThat(failed.status()).isEqualTo(TaskStatus.FAILED);
    assertThat(failed.attempts()).isEqualTo(1);
  }

  @Test
  void a_stale_or_wrong_lease_token_is_refused_with_409() {
    String name = uniqueName();
    String id = client.tasks().create(TaskRequest.builder().name(name).build()).taskId();
    LeasedTask leased = leaseOne(name, "w");

    OffloadException wrong =
        catchThrowableOfType(
            OffloadException.class, () -> workers.complete(id, leased.leaseToken() + "x", "done"));
    assertThat(wrong.status()).isEqualTo(409);
    assertThat(wrong.title()).isEqualTo("Lease lost");

    workers.complete(id, leased.leaseToken(), "done");
    OffloadException again =
        catchThrowableOfType(
            OffloadException.class,
            () -> workers.heartbeat(id, leased.leaseToken(), Duration.ofSeconds(5), null));
    assertThat(again.status()).isEqualTo(409);
    assertThat(again.detail()).contains("already succeeded");
  }

  @Test
  void a_running_push_task_cannot_be_finished_through_the_worker_api_with_its_nodes_id() {
    try (TestTarget target = new TestTarget()) {
      target.on(
          "/slow", TestTarget.Reply.ok("{\"from\":\"target\"}").holding(Duration.ofSeconds(2)));
      String id =
          client
              .tasks()
              .create(TaskRequest.builder().callbackUrl(target.url("/slow")).build())
              .taskId();
      Awaitility.await().atMost(AWAIT).until(() -> !target.received("/slow").isEmpty());
      // The node id is public (GET /v1/nodes) and is the lease owner of the push task's running
      // attempt.
      String nodeId = server.get("/v1/nodes").body().path("nodes").path(0).path("id").asText();
      assertThat(nodeId).isNotBlank();

      for (Runnable attempt :
          List.<Runnable>of(
              () -> workers.complete(id, nodeId, "forged"),
              () -> workers.fail(id, nodeId, "forged", false),
              () -> workers.heartbeat(id, nodeId, Duration.ofSeconds(5), null))) {
        OffloadException refused = catchThrowableOfType(OffloadException.class, attempt::run);
        assertThat(refused.status()).isEqualTo(409);
      }
      TaskView finished = client.tasks().await(id, AWAIT);
      assertThat(finished.status()).isEqualTo(TaskStatus.SUCCEEDED);
      assertThat(finished.result().body().toString()).contains("target");
    }
  }

  @Test
  void
      a_heartbeat_tells_the_worker_its_task_was_cancelled_and_the_attempt_is_recorded_as_cancelled() {
    String name = uniqueName();
    String id = client.tasks().create(TaskRequest.builder().name(name).build()).taskId();
    LeasedTask leased = leaseOne(name, "w-9");

    client.tasks().cancel(id);

    assertThat(workers.heartbeat(id, leased.leaseToken(), Duration.ofSeconds(5), null).cancelled())
        .isTrue();
    OffloadException refused =
        catchThrowableOfType(
            OffloadException.class, () -> workers.complete(id, leased.leaseToken(), 1));
    assertThat(refused.title()).isEqualTo("Task cancelled");
    assertThat(client.tasks().attempts(id))
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.outcome()).isEqualTo(AttemptOutcome.CANCELLED);
              assertThat(a.node()).isEqualTo("w-9");
            });
  }

  @Test
  void a_released_task_is_queued_again_without_spending_an_attempt_and_another_worker_runs_it() {
    String name = uniqueName();
    String id = client.tasks().create(TaskRequest.builder().name(name).retries(0).build()).taskId();
    LeasedTask leased = leaseOne(name, "stopping");

    TaskView released = workers.release(id, leased.leaseToken());

    assertThat(released.status()).isEqualTo(TaskStatus.QUEUED);
    assertThat(released.attempts()).isZero();
    OffloadException again =
        catchThrowableOfType(
            OffloadException.class, () -> workers.release(id, leased.leaseToken()));
    assertThat(again.status()).isEqualTo(409);
    assertThat(again.title()).isEqualTo("Lease lost");
    assertThat(again.detail()).contains("the task is queued");
    LeasedTask next = leaseOne(name, "fresh");
    assertThat(next.attempt()).isEqualTo(1);
    assertThat(workers.complete(id, next.leaseToken(), "done").status())
        .isEqualTo(TaskStatus.SUCCEEDED);
    assertThat(client.tasks().attempts(id))
        .singleElement()
        .satisfies(a -> assertThat(a.node()).isEqualTo("fresh"));
  }

  @Test
  void a_cancelled_task_cannot_be_released() {
    String name = uniqueName();
    String id = client.tasks().create(TaskRequest.builder().name(name).build()).taskId();
    LeasedTask leased = leaseOne(name, "w");
    client.tasks().cancel(id);

    OffloadException refused =
        catchThrowableOfType(
            OffloadException.class, () -> workers.release(id, leased.leaseToken()));

    assertThat(refused.status()).isEqualTo(409);
    assertThat(refused.title()).isEqualTo("Task cancelled");
    assertThat(client.tasks().get(id).status()).isEqualTo(TaskStatus.CANCELLED);
  }

  @Test
  void one_heartbeat_renews_many_leases_records_progress_and_reports_each_task_it_cannot_renew() {
    String name = uniqueName();
    for (int i = 0; i < 4; i++) client.tasks().create(TaskRequest.builder().name(name).build());
    List<LeasedTask> leased =
        workers.lease(
            new LeaseRequest(
                "batch",
                List.of(),
                List.of(name),
                4,
                Duration.ofSeconds(5),
                Duration.ofSeconds(30)));
    assertThat(leased).hasSize(4);
    LeasedTask running = leased.get(0);
    LeasedTask cancelled = leased.get(1);
    LeasedTask finished = leased.get(2);
    LeasedTask other = leased.get(3);
    client.tasks().cancel(cancelled.taskId());
    workers.complete(finished.taskId(), finished.leaseToken(), "done");

    List<LeaseState> states =
        workers.heartbeat(
            List.of(
                new HeldLease(running.taskId(), running.leaseToken(), Map.of("page", 3)),
                new HeldLease(cancelled.taskId(), cancelled.leaseToken(), null),
                new HeldLease(finished.taskId(), finished.leaseToken(), null),
                new HeldLease(other.taskId(), running.leaseToken(), null),
                new HeldLease("tsk_01JD0000000000000000000000", "t", null)),
            Duration.ofSeconds(40));

    assertThat(states)
        .extracting(LeaseState::outcome)
        .containsExactly(
            LeaseState.Outcome.RENEWED,
            LeaseState.Outcome.CANCELLED,
            LeaseState.Outcome.LOST,
            LeaseState.Outcome.LOST,
            LeaseState.Outcome.NOT_FOUND);
    assertThat(states.get(0).leaseExpiresAt()).isAfter(running.leaseExpiresAt());
    assertThat(states.get(2).detail()).contains("already succeeded");
    assertThat(client.tasks().get(running.taskId()).progress().path("page").asInt()).isEqualTo(3);
    assertThat(client.tasks().get(other.taskId()).status()).isEqualTo(TaskStatus.RUNNING);
  }

  @Test
  void a_waiting_lease_answers_as_soon_as_a_task_is_created(@TempDir Path dataDir)
      throws Exception {
    // A poll interval no test waits for: only the new task's signal can end this 30 s lease call in
    // time.
    try (RunningServer quiet =
            new RunningServer(
                dataDir, config -> config.toBuilder().pollInterval(Duration.ofHours(1)).build());
        OffloadClient quietClient =
            OffloadClient.builder()
                .baseUrl(quiet.url(""))
                .httpClient(quiet.http())
                .requestTimeout(Duration.ofSeconds(10))
                .build()) {
      String name = uniqueName();
      CompletableFuture<List<LeasedTask>> waiting =
          CompletableFuture.supplyAsync(
              () ->
                  quietClient
                      .workers()
                      .lease(
                          new LeaseRequest(
                              "w",
                              List.of(),
                              List.of(name),
                              10,
                              Duration.ofSeconds(30),
                              Duration.ofSeconds(30))));
      Awaitility.await()
          .atMost(AWAIT)
          .until(() -> quiet.server().engine().workers().waitingLeases() == 1);

      String id = quietClient.tasks().create(TaskRequest.builder().name(name).build()).taskId();

      assertThat(waiting.get(10, TimeUnit.SECONDS))
          .extracting(LeasedTask::taskId)
          .containsExactly(id);
    }
  }

  @Test
  void a_lease_takes_only_tasks_of_its_names_and_queues_and_never_push_tasks() {
    String name = uniqueName();
    String other = uniqueName();
    client.tasks().create(TaskRequest.builder().name(other).build());
    client.tasks().create(TaskRequest.builder().name(name).queue("elsewhere").build());
    String mine =
        client.tasks().create(TaskRequest.builder().name(name).queue("emails").build()).taskId();

    List<LeasedTask> leased =
        workers.lease(
            new LeaseRequest(
                "w", List.of("emails"), List.of(name), 100, Duration.ZERO, Duration.ofSeconds(30)));

    assertThat(leased).extracting(LeasedTask::taskId).containsExactly(mine);
  }

  @Test
  void a_lease_never_outlives_the_attempt_timeout_and_the_attempt_times_out() {
    String name = uniqueName();
    String id =
        client
            .tasks()
            .create(
                TaskRequest.builder().name(name).retries(0).timeout(Duration.ofSeconds(1)).build())
            .taskId();

    LeasedTask leased = leaseOne(name, "slow");
    assertThat(Duration.between(client.tasks().get(id).startedAt(), leased.leaseExpiresAt()))
        .isLessThanOrEqualTo(Duration.ofSeconds(1));

    TaskView finished = client.tasks().await(id, AWAIT);
    assertThat(finished.status()).isEqualTo(TaskStatus.FAILED);
    assertThat(client.tasks().attempts(id))
        .singleElement()
        .extracting(Attempt::outcome)
        .isEqualTo(AttemptOutcome.TIMEOUT);
  }

  @Test
  void an_idempotent_create_of_a_pull_task_replays_the_first_task() {
    String name = uniqueName();
    TaskRequest request =
        TaskRequest.builder().name(name).payload(Map.of("n", 1)).idempotencyKey(name).build();

    Accepted first = client.tasks().create(request);
    Accepted second = client.tasks().create(request);

    assertThat(second.replayed()).isTrue();
    assertThat(second.taskId()).isEqualTo(first.taskId());
  }

  private static List<String> fields(RunningServer.Answer answer) {
    assertThat(answer.status()).as(answer.text()).isEqualTo(400);
    assertThat(answer.header("Content-Type")).startsWith("application/problem+json");
    List<String> fields = new java.util.ArrayList<>();
    answer.body().path("errors").forEach(e -> fields.add(e.path("field").asText()));
    return fields;
  }

  @Test
  void bad_pull_creates_and_lease_requests_get_a_400_naming_each_field() {
    assertThat(
            fields(
                server.post(
                    "/v1/tasks", "{\"name\":\"a\",\"callbackUrl\":\"http://127.0.0.1:1/x\"}")))
        .containsExactly("name");
    assertThat(
            fields(
                server.post(
                    "/v1/tasks",
                    "{\"name\":\"a\",\"method\":\"GET\",\"headers\":{\"X\":\"1\"},\"body\":\"x\"}")))
        .containsExactlyInAnyOrder("method", "headers", "body");
    assertThat(fields(server.post("/v1/tasks", "{\"name\":\" spaces \"}"))).containsExactly("name");
    assertThat(
            fields(
                server.post(
                    "/v1/workers/lease",
                    "{\"max\":101,\"wait\":\"2m\",\"leaseFor\":\"100ms\",\"queues\":\"emails\",\"names\":[\"ok\",7],\"workerId\":\"a b\",\"extra\":1}")))
        .containsExactlyInAnyOrder(
            "max", "wait", "leaseFor", "queues", "names[1]", "workerId", "extra");
    assertThat(
            fields(
                server.post(
                    "/v1/tasks/tsk_01JD0000000000000000000000/heartbeat", "{\"progress\":1}")))
        .containsExactly("leaseToken");
    assertThat(
            fields(
                server.post(
                    "/v1/tasks/tsk_01JD0000000000000000000000/fail",
                    "{\"leaseToken\":\"t\",\"retryable\":\"no\"}")))
        .containsExactlyInAnyOrder("error", "retryable");
    assertThat(
            server
                .post(
                    "/v1/tasks/tsk_01JD0000000000000000000000/complete",
                    "{\"leaseToken\":\"t\",\"result\":1}")
                .status())
        .isEqualTo(404);
  }
}
