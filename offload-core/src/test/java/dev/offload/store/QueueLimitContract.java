package dev.offload.store;

import static dev.offload.task.TestTasks.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.offload.dispatch.WorkerLeases;
import dev.offload.queue.QueueDepth;
import dev.offload.queue.QueueInfo;
import dev.offload.queue.QueueSettings;
import dev.offload.task.Attempt;
import dev.offload.task.AttemptOutcome;
import dev.offload.task.CreateResult;
import dev.offload.task.FinishedAttempt;
import dev.offload.task.NewTask;
import dev.offload.task.PullClaim;
import dev.offload.task.Task;
import dev.offload.task.TaskBatch;
import dev.offload.task.TaskId;
import dev.offload.task.TaskStatus;
import dev.offload.task.Transition;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Queue limits (concurrency, rate, pause, concurrency keys) and queue figures, on each dialect. */
abstract class QueueLimitContract extends StoreContract {
  static NewTask.Builder aTask(String queue) {
    return NewTask.builder().queue(queue).callbackUrl("https://target.example/work");
  }

  TaskId create(NewTask.Builder task) {
    return create(task, T0);
  }

  TaskId create(NewTask.Builder task, Instant now) {
    CreateResult result =
        store
            .inserts()
            .create(List.of(TaskBatch.of(task.build())), now, Duration.ofHours(1))
            .getFirst();
    return ((CreateResult.Created) result).tasks().getFirst().id();
  }

  List<TaskId> claim(Instant now, int max) {
    return store.pushClaims().claimDue("node-a", now, max, LEASE).stream().map(Task::id).toList();
  }

  void succeed(TaskId id, Instant at) {
    Task running = store.tasks().find(id).orElseThrow();
    Attempt attempt =
        new Attempt(
            id,
            running.attempts(),
            running.attemptStartedAt(),
            at,
            AttemptOutcome.SUCCEEDED,
            200,
            null,
            null,
            running.leaseOwner());
    store
        .completion()
        .finish(
            List.of(
                new FinishedAttempt(
                    attempt,
                    running.leaseOwner(),
                    new Transition(TaskStatus.SUCCEEDED, null, OK, null))));
  }

  void put(String queue, Integer concurrency, Double rate, Integer burst, boolean paused) {
    store.queues().put(queue, new QueueSettings(concurrency, rate, burst, paused), T0);
  }

  @Test
  void a_queue_with_concurrency_2_runs_at_most_2_and_its_waiting_tasks_are_not_reported_due() {
    put("limited", 2, null, null, false);
    List<TaskId> ids = new ArrayList<>();
    for (int i = 0; i < 5; i++) ids.add(create(aTask("limited"), T0.minusSeconds(10 - i)));

    assertThat(claim(T0, 10)).containsExactly(ids.get(0), ids.get(1));
    assertThat(claim(T0, 10)).isEmpty();
    assertThat(store.pushClaims().nextDueAt(T0))
        .as("a full queue waits for a finished task, not a time")
        .isEmpty();

    succeed(ids.get(0), T0.plusSeconds(1));
    assertThat(store.pushClaims().nextDueAt(T0)).as("ready tasks can be claimed now").contains(T0);
    assertThat(claim(T0, 10)).containsExactly(ids.get(2));
  }

  @Test
  void a_limited_queue_does_not_hold_back_tasks_of_other_queues() {
    put("paused", null, null, null, true);
    create(aTask("paused"), T0.minusSeconds(30));
    TaskId other = create(aTask("default"), T0.minusSeconds(1));

    assertThat(store.pushClaims().nextDueAt(T0)).contains(T0);
    assertThat(claim(T0, 10)).containsExactly(other);
  }

  @Test
  void a_paused_queue_starts_nothing_until_resumed() {
    put("q", null, null, null, true);
    TaskId id = create(aTask("q"));

    assertThat(claim(T0, 10)).isEmpty();
    assertThat(store.pushClaims().nextDueAt(T0)).isEmpty();

    put("q", null, null, null, false);
    assertThat(claim(T0, 10)).containsExactly(id);
  }

  @Test
  void a_rate_of_2_per_second_with_burst_1_starts_one_task_every_500ms() {
    put("slow", null, 2.0, null, false);
    for (int i = 0; i < 5; i++) create(aTask("slow"));

    assertThat(claim(T0, 10)).hasSize(1);
    assertThat(claim(T0.plusMillis(100), 10)).isEmpty();
    assertThat(store.pushClaims().nextDueAt(T0.plusMillis(100))).contains(T0.plusMillis(500));
    assertThat(claim(T0.plusMillis(500), 10)).hasSize(1);
    assertThat(claim(T0.plusMillis(2_000), 10))
        .as("a quiet spell saves at most the burst")
        .hasSize(1);
  }

  @Test
  void a_burst_of_3_starts_3_at_once_then_follows_the_rate() {
    put("bursty", null, 10.0, 3, false);
    for (int i = 0; i < 10; i++) create(aTask("bursty"));

    assertThat(claim(T0, 10)).hasSize(3);
    assertThat(claim(T0.plusMillis(100), 10)).hasSize(1);
    assertThat(claim(T0.plusMillis(350), 10)).hasSize(2);
  }

  @Test
  void one_task_per_key_runs_at_a_time_and_other_keys_proceed() {
    TaskId a1 = create(aTask("mail").concurrencyKey("customer-a"), T0.minusSeconds(3));
    TaskId a2 = create(aTask("mail").concurrencyKey("customer-a"), T0.minusSeconds(2));
    TaskId b1 = create(aTask("mail").concurrencyKey("customer-b"), T0.minusSeconds(1));
    TaskId plain = create(aTask("mail"));

    assertThat(claim(T0, 10)).containsExactlyInAnyOrder(a1, b1, plain);
    assertThat(claim(T0, 10)).isEmpty();
    assertThat(store.pushClaims().nextDueAt(T0)).isEmpty();

    succeed(a1, T0);
    assertThat(claim(T0, 10)).containsExactly(a2);
    assertThat(store.tasks().find(a2).orElseThrow().concurrencyKey()).isEqualTo("customer-a");
  }

  @Test
  void a_key_blocked_at_its_limit_does_not_hold_back_later_keys() {
    for (int i = 0; i < 100; i++)
      create(aTask("q").concurrencyKey("busy"), T0.minusSeconds(200 - i));
    TaskId other = create(aTask("q").concurrencyKey("quiet"), T0.minusSeconds(1));

    assertThat(claim(T0, 1)).hasSize(1);
    assertThat(claim(T0, 1)).containsExactly(other);
  }

  @Test
  void key_concurrency_2_runs_two_of_a_key_at_once() {
    for (int i = 0; i < 4; i++) create(aTask("q").concurrencyKey("k").keyConcurrency(2));

    assertThat(claim(T0, 10)).hasSize(2);
    assertThat(claim(T0, 10)).isEmpty();
  }

  @Test
  void pull_tasks_obey_the_concurrency_of_their_queue() {
    put("work", 1, null, null, false);
    for (int i = 0; i < 3; i++) create(NewTask.builder().queue("work").name("resize"));

    PullClaim claim =
        new PullClaim(WorkerLeases.tokenPrefix("w1"), List.of(), List.of(), T0, 5, LEASE);
    assertThat(store.pullLeases().leasePullTasks(claim)).hasSize(1);
    assertThat(store.pullLeases().leasePullTasks(claim)).isEmpty();
    assertThat(store.pullLeases().nextPullDueAt(T0)).isEmpty();
  }

  @Test
  void concurrent_claimers_never_exceed_the_limit_together() throws Exception {
    put("shared", 3, null, null, false);
    for (int i = 0; i < 40; i++) create(aTask("shared").concurrencyKey("k" + (i % 8)));
    List<Callable<Integer>> claimers = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      String node = "node-" + i;
      claimers.add(() -> store.pushClaims().claimDue(node, T0, 10, LEASE).size());
    }
    int total = 0;
    try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
      for (Future<Integer> claimed : pool.invokeAll(claimers)) total += claimed.get();
    }
    assertThat(total).isEqualTo(3);
  }

  @Test
  void queue_figures_count_tasks_by_status_and_measure_throughput_and_durations() {
    put("empty", 5, 1.5, 2, true);
    TaskId done = create(aTask("figures"));
    create(aTask("figures"));
    create(aTask("figures").runAt(T0.plusSeconds(60)));
    claim(T0, 1);
    succeed(done, T0.plusMillis(200));
    Instant now = T0.plusSeconds(1);

    QueueInfo figures = store.queues().find("figures", now).orElseThrow();
    assertThat(figures.counts())
        .containsEntry(TaskStatus.SUCCEEDED, 1L)
        .containsEntry(TaskStatus.QUEUED, 1L)
        .containsEntry(TaskStatus.SCHEDULED, 1L)
        .containsEntry(TaskStatus.RUNNING, 0L);
    assertThat(figures.inFlight()).isZero();
    assertThat(figures.oldestReadyAgeMs()).isEqualTo(1_000L);
    assertThat(figures.throughput()).isEqualTo(new QueueInfo.Throughput(1, 1));
    assertThat(figures.attemptDurationMs())
        .isEqualTo(new QueueInfo.AttemptDurations(200L, 200L, 200L));
    assertThat(figures.attemptTimeoutMs()).as("the default timeout, 1 h").isEqualTo(3_600_000L);
    assertThat(figures.nearTimeout()).isFalse();
    assertThat(figures.settings()).isEqualTo(QueueSettings.NONE);

    assertThat(store.queues().list(now))
        .extracting(QueueInfo::name)
        .containsExactly("empty", "figures");
    assertThat(store.queues().find("empty", now).orElseThrow().settings())
        .isEqualTo(new QueueSettings(5, 1.5, 2, true));
    assertThat(store.queues().find("never-used", now)).isEmpty();
  }

  @Test
  void
      queue_figures_name_the_shortest_timeout_of_the_sampled_attempts_and_flag_a_p95_past_70_percent() {
    TaskId hourly = create(aTask("slow"));
    TaskId secondly = create(aTask("slow").timeout(Duration.ofSeconds(1)));
    List<TaskId> more = new ArrayList<>();
    for (int i = 0; i < QueueInfo.NEAR_TIMEOUT_MIN_SAMPLES - 2; i++)
      more.add(create(aTask("slow")));
    claim(T0, QueueInfo.NEAR_TIMEOUT_MIN_SAMPLES);
    succeed(hourly, T0.plusMillis(650));
    succeed(secondly, T0.plusMillis(701));
    QueueInfo two = store.queues().find("slow", T0.plusSeconds(1)).orElseThrow();
    assertThat(two.attemptDurationMs().p95()).isEqualTo(701L);
    assertThat(two.attemptSamples()).isEqualTo(2);
    assertThat(two.nearTimeout()).as("two attempts are too few to judge").isFalse();

    more.forEach(id -> succeed(id, T0.plusMillis(702)));

    QueueInfo slow = store.queues().find("slow", T0.plusSeconds(1)).orElseThrow();
    assertThat(slow.attemptTimeoutMs()).isEqualTo(1_000L);
    assertThat(slow.attemptDurationMs().p95()).isEqualTo(702L);
    assertThat(slow.attemptSamples()).isEqualTo(QueueInfo.NEAR_TIMEOUT_MIN_SAMPLES);
    assertThat(slow.nearTimeout()).isTrue();
  }

  @Test
  void queue_depths_count_active_tasks_and_the_oldest_ready_one() {
    create(T0, aPushTask().queue("d").build());
    claimOne(NODE_A, T0);
    create(T0.plusSeconds(1), aPushTask().queue("d").build());
    create(T0, aPushTask().queue("d").runAt(T0.plusSeconds(60)).build());

    assertThat(store.queues().queueDepths(T0.plusSeconds(1)))
        .containsExactlyInAnyOrder(
            new QueueDepth("d", TaskStatus.QUEUED, 1, T0.plusSeconds(1)),
            new QueueDepth("d", TaskStatus.RUNNING, 1, null),
            new QueueDepth("d", TaskStatus.SCHEDULED, 1, null));
  }
}
