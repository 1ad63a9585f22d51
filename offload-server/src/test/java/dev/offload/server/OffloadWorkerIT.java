package dev.offload.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.offload.client.Accepted;
import dev.offload.client.Attempt;
import dev.offload.client.AttemptOutcome;
import dev.offload.client.OffloadClient;
import dev.offload.client.TaskRequest;
import dev.offload.client.TaskStatus;
import dev.offload.client.TaskView;
import dev.offload.client.worker.NonRetryableException;
import dev.offload.client.worker.OffloadWorker;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code OffloadWorker} against the real server: throughput, exactly-once, cancel, a killed worker.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OffloadWorkerIT {
  record Email(String to) {}

  private static final Duration AWAIT = Duration.ofSeconds(60);
  private final AtomicInteger names = new AtomicInteger();
  private RunningServer server;
  private OffloadClient client;

  @BeforeAll
  void start(@TempDir Path dataDir) {
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
  }

  /** Short lease polls: stop() waits for the one in flight. */
  private OffloadWorker.Builder worker() {
    return OffloadWorker.builder(client).waitFor(Duration.ofSeconds(1));
  }

  private String uniqueName() {
    return "job-" + names.incrementAndGet() + "-" + System.nanoTime();
  }

  @Test
  void a_worker_runs_1000_tasks_with_concurrency_32_exactly_once_each() {
    String name = uniqueName();
    Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
    AtomicInteger inHandler = new AtomicInteger();
    AtomicInteger mostAtOnce = new AtomicInteger();
    List<String> ids = new ArrayList<>();
    for (int batch = 0; batch < 10; batch++) {
      List<TaskRequest> requests = new ArrayList<>();
      for (int i = 0; i < 100; i++)
        requests.add(
            TaskRequest.builder().name(name).payload(new Email("u" + (batch * 100 + i))).build());
      client.tasks().createBatch(requests).forEach(a -> ids.add(a.taskId()));
    }

    try (OffloadWorker worker =
        worker()
            .workerId("bulk")
            .concurrency(32)
            .build()
            .handle(
                name,
                Email.class,
                (task, email) -> {
                  int now = inHandler.incrementAndGet();
                  mostAtOnce.accumulateAndGet(now, Math::max);
                  runs.computeIfAbsent(task.taskId(), k -> new AtomicInteger()).incrementAndGet();
                  Thread.sleep(5);
                  inHandler.decrementAndGet();
                  return Map.of("sentTo", email.to());
                })
            .start()) {
      long startedAt = System.nanoTime();
      await().atMost(AWAIT).until(() -> runs.size() == 1_000 && inHandler.get() == 0);
      System.out.printf(
          "1,000 tasks through one worker (concurrency 32) in %d ms%n",
          (System.nanoTime() - startedAt) / 1_000_000);
      await()
          .atMost(AWAIT)
          .until(
              () ->
                  ids.stream()
                      .allMatch(id -> client.tasks().get(id).status() == TaskStatus.SUCCEEDED));
    }

    assertThat(runs)
        .hasSize(1_000)
        .allSatisfy((id, count) -> assertThat(count.get()).as(id).isEqualTo(1));
    assertThat(mostAtOnce.get()).isBetween(2, 32);
    TaskView one = client.tasks().get(ids.get(7));
    assertThat(one.attempts()).isEqualTo(1);
    assertThat(one.result().body().path("sentTo").asText()).isEqualTo("u7");
  }

  @Test
  void a_handler_exception_is_retried_and_a_non_retryable_one_fails_the_task() {
    String name = uniqueName();
    String flaky =
        client
            .tasks()
            .create(
                TaskRequest.builder()
                    .name(name)
                    .payload(new Email("flaky"))
                    .retries(2)
                    .backoff(
                        dev.offload.client.Backoff.fixed(Duration.ofMillis(100)).withJitter(false))
                    .build())
            .taskId();
    String hopeless =
        client
            .tasks()
            .create(
                TaskRequest.builder().name(name).payload(new Email("nobody")).retries(5).build())
            .taskId();
    AtomicInteger flakyRuns = new AtomicInteger();

    try (OffloadWorker worker =
        worker()
            .build()
            .handle(
                name,
                Email.class,
                (task, email) -> {
                  if (email.to().equals("nobody"))
                    throw new NonRetryableException("no such mailbox");
                  if (flakyRuns.incrementAndGet() < 2) throw new IllegalStateException("SMTP 451");
                  return "sent";
                })
            .start()) {
      assertThat(client.tasks().await(flaky, AWAIT).status()).isEqualTo(TaskStatus.SUCCEEDED);
      TaskView failed = client.tasks().await(hopeless, AWAIT);
      assertThat(failed.status()).isEqualTo(TaskStatus.FAILED);
      assertThat(failed.lastError()).contains("no such mailbox");
      assertThat(failed.attempts()).isEqualTo(1);
    }
    assertThat(client.tasks().attempts(flaky))
        .extracting(Attempt::outcome)
        .containsExactly(AttemptOutcome.WORKER_ERROR, AttemptOutcome.SUCCEEDED);
  }

  @Test
  void a_cancelled_task_interrupts_its_handler_and_sets_its_flag() throws Exception {
    String name = uniqueName();
    String id = client.tasks().create(TaskRequest.builder().name(name).build()).taskId();
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch interrupted = new CountDownLatch(1);
    AtomicBoolean flagSeen = new AtomicBoolean();

    try (OffloadWorker worker =
        worker()
            .leaseFor(Duration.ofSeconds(3))
            .build()
            .handle(
                name,
                Object.class,
                (task, payload) -> {
                  started.countDown();
                  try {
                    Thread.sleep(Duration.ofMinutes(5));
                  } catch (InterruptedException e) {
                    flagSeen.set(task.isCancelled());
                    interrupted.countDown();
                    throw e;
                  }
                  return "never";
                })
            .start()) {
      assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();
      client.tasks().cancel(id);

      assertThat(interrupted.await(10, TimeUnit.SECONDS)).as("handler interrupted").isTrue();
      assertThat(flagSeen).isTrue();
    }
    assertThat(client.tasks().get(id).status()).isEqualTo(TaskStatus.CANCELLED);
    assertThat(client.tasks().attempts(id))
        .singleElement()
        .extracting(Attempt::outcome)
        .isEqualTo(AttemptOutcome.CANCELLED);
  }

  @Test
  void a_killed_worker_loses_its_task_to_another_worker_when_its_lease_expires() throws Exception {
    String name = uniqueName();
    Accepted accepted =
        client.tasks().create(TaskRequest.builder().name(name).payload(Map.of("n", 1)).build());
    String javaBinary = ProcessHandle.current().info().command().orElseThrow();
    Process doomed =
        new ProcessBuilder(
                javaBinary,
                "-cp",
                System.getProperty("java.class.path"),
                StuckWorkerMain.class.getName(),
                server.url(""),
                name)
            .redirectErrorStream(true)
            .start();
    try {
      BufferedReader output =
          new BufferedReader(
              new InputStreamReader(doomed.getInputStream(), StandardCharsets.UTF_8));
      String line;
      do {
        line = output.readLine();
      } while (line != null && !line.startsWith("STARTED "));
      assertThat(line).isEqualTo("STARTED " + accepted.taskId());
      assertThat(client.tasks().get(accepted.taskId()).status()).isEqualTo(TaskStatus.RUNNING);
    } finally {
      doomed.destroyForcibly();
      doomed.waitFor(10, TimeUnit.SECONDS);
    }

    try (OffloadWorker survivor =
        worker()
            .workerId("survivor")
            .build()
            .handle(name, Object.class, (task, payload) -> Map.of("attempt", task.attempt()))
            .start()) {
      TaskView done = client.tasks().await(accepted.taskId(), AWAIT);
      assertThat(done.status()).isEqualTo(TaskStatus.SUCCEEDED);
      assertThat(done.result().body().path("attempt").asInt()).isEqualTo(2);
    }
    List<Attempt> attempts = client.tasks().attempts(accepted.taskId());
    assertThat(attempts)
        .extracting(Attempt::outcome)
        .containsExactly(AttemptOutcome.LEASE_EXPIRED, AttemptOutcome.SUCCEEDED);
    assertThat(attempts).extracting(Attempt::node).containsExactly("doomed", "survivor");
  }

  @Test
  void stop_lets_a_running_handler_finish_within_the_grace_period() throws Exception {
    String name = uniqueName();
    String id = client.tasks().create(TaskRequest.builder().name(name).build()).taskId();
    CountDownLatch started = new CountDownLatch(1);
    OffloadWorker worker =
        worker()
            .build()
            .handle(
                name,
                Object.class,
                (task, payload) -> {
                  started.countDown();
                  Thread.sleep(500);
                  return "finished";
                })
            .start();
    assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();

    worker.stop(Duration.ofSeconds(10));

    TaskView task = client.tasks().get(id);
    assertThat(task.status()).isEqualTo(TaskStatus.SUCCEEDED);
    assertThat(task.result().body().asText()).isEqualTo("finished");
    assertThat(worker.runningCount()).isZero();
  }

  @Test
  void
      stop_past_the_grace_interrupts_the_handler_and_releases_its_task_without_spending_an_attempt()
          throws Exception {
    String name = uniqueName();
    String id = client.tasks().create(TaskRequest.builder().name(name).retries(0).build()).taskId();
    CountDownLatch started = new CountDownLatch(1);
    AtomicBoolean interrupted = new AtomicBoolean();
    OffloadWorker worker =
        worker()
            .build()
            .handle(
                name,
                Object.class,
                (task, payload) -> {
                  started.countDown();
                  try {
                    Thread.sleep(60_000);
                  } catch (InterruptedException e) {
                    interrupted.set(true);
                    throw e;
                  }
                  return "too late";
                })
            .start();
    assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();

    worker.stop(Duration.ofMillis(200));

    assertThat(interrupted).isTrue();
    TaskView task = client.tasks().get(id);
    assertThat(task.status()).isEqualTo(TaskStatus.QUEUED);
    assertThat(task.attempts()).isZero();
    assertThat(client.tasks().attempts(id)).isEmpty();
  }
}
