package dev.offload.store;

import static dev.offload.task.TestTasks.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.offload.queue.QueueInfo.AttemptDurations;
import dev.offload.queue.QueueSettings;
import dev.offload.queue.QueueTimeline;
import dev.offload.queue.QueueTimeline.Bucket;
import dev.offload.task.ActionResult;
import dev.offload.task.Attempt;
import dev.offload.task.AttemptOutcome;
import dev.offload.task.CreateResult;
import dev.offload.task.FinishedAttempt;
import dev.offload.task.NewTask;
import dev.offload.task.Task;
import dev.offload.task.TaskBatch;
import dev.offload.task.TaskId;
import dev.offload.task.TaskStatus;
import dev.offload.task.Transition;
import dev.offload.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A queue's minute-by-minute history (GET /v1/queues/{name}/history), on each dialect. */
abstract class QueueHistoryContract extends StoreContract {
  /**
   * The window of every test: 00:30:25 is in the minute from 00:30, so it runs from 23:31 to 00:31.
   */
  private static final Instant NOW = T0.plus(Duration.parse("PT30M25S"));

  private static final Instant FROM = T0.minus(Duration.ofMinutes(29));
  private final SettableClock clock = new SettableClock(T0);

  @Test
  void counts_created_and_finished_tasks_per_minute_derives_depth_and_samples_attempts() {
    TaskId waiting =
        create(aTask("hist").runAt(T0.plus(Duration.ofHours(2))), T0.minus(Duration.ofMinutes(40)));
    TaskId cancelled =
        create(aTask("hist").runAt(T0.plus(Duration.ofHours(2))), T0.minus(Duration.ofMinutes(20)));
    TaskId shortTimeout =
        create(aTask("hist").timeout(Duration.ofSeconds(30)), T0.minus(Duration.ofMinutes(6)));
    TaskId noTimeout = create(aTask("hist").timeout(null), T0.minus(Duration.ofMinutes(6)));
    TaskId hourTimeout = create(aTask("hist"), T0.minus(Duration.ofMinutes(6)));
    TaskId retried = create(aTask("hist"), T0.minus(Duration.ofMinutes(6)));
    TaskId elsewhere =
        create(aTask("other").timeout(Duration.ofSeconds(1)), T0.minus(Duration.ofMinutes(6)));

    clock.set(T0.minus(Duration.ofMinutes(5)));
    assertThat(claim())
        .containsExactlyInAnyOrder(shortTimeout, noTimeout, hourTimeout, retried, elsewhere);
    finish(shortTimeout, 10, new Transition(TaskStatus.SUCCEEDED, null, OK, null));
    finish(noTimeout, 20, new Transition(TaskStatus.FAILED, null, null, "HTTP 400"));
    finish(hourTimeout, 30, new Transition(TaskStatus.SUCCEEDED, null, OK, null));
    finish(
        retried,
        40,
        new Transition(TaskStatus.RETRYING, T0.plus(Duration.ofMinutes(30)), null, "HTTP 503"));
    finish(elsewhere, 1_000, new Transition(TaskStatus.SUCCEEDED, null, OK, null));
    assertThat(store.actions().cancel(cancelled, T0.minus(Duration.ofMinutes(3))))
        .isInstanceOf(ActionResult.Done.class);

    clock.set(T0.plus(Duration.ofMinutes(30)));
    assertThat(claim()).containsExactly(retried);
    finish(retried, 5, new Transition(TaskStatus.SUCCEEDED, null, OK, null));
    create(aTask("hist"), T0.plus(Duration.parse("PT30M10S")));

    QueueTimeline history = store.queues().history("hist", NOW).orElseThrow();

    assertThat(history.queue()).isEqualTo("hist");
    assertThat(history.from()).isEqualTo(FROM);
    assertThat(history.to()).isEqualTo(T0.plus(Duration.ofMinutes(31)));
    assertThat(history.attemptTimeoutMs())
        .as("the 30 s task's; the other queue's 1 s task is not sampled")
        .isEqualTo(30_000L);
    List<Bucket> buckets = history.buckets();
    assertThat(buckets).hasSize(60);
    for (int i = 0; i < 60; i++)
      assertThat(buckets.get(i).at()).isEqualTo(FROM.plus(Duration.ofMinutes(i)));
    Bucket nothing = buckets.get(0);
    assertThat(nothing)
        .isEqualTo(new Bucket(FROM, 0, 0, 0, 0, 1, 0, new AttemptDurations(null, null, null)));
    assertThat(buckets.get(9))
        .as("00:-20: the task cancelled later is created")
        .isEqualTo(bucket(9, 1, 0, 0, 0, 2, 0, null));
    assertThat(buckets.get(23))
        .as("00:-06: four tasks created")
        .isEqualTo(bucket(23, 4, 0, 0, 0, 6, 0, null));
    assertThat(buckets.get(24))
        .as("00:-05: four attempts, two succeed, one fails, one will retry")
        .isEqualTo(bucket(24, 0, 2, 1, 0, 3, 4, new AttemptDurations(20L, 40L, 40L)));
    assertThat(buckets.get(26))
        .as("00:-03: one cancelled")
        .isEqualTo(bucket(26, 0, 0, 0, 1, 2, 0, null));
    assertThat(buckets.get(59))
        .as("the current minute: the retry succeeds, one task is created")
        .isEqualTo(bucket(59, 1, 1, 0, 0, 2, 1, new AttemptDurations(5L, 5L, 5L)));
    assertThat(buckets.stream().mapToLong(Bucket::depth).toArray())
        .as("tasks not finished at the end of each minute")
        .containsExactly(depths(1, 9, 2, 23, 6, 24, 3, 26, 2));
    assertThat(buckets.stream().mapToLong(Bucket::finished).sum()).isEqualTo(5);
  }

  @Test
  void a_queue_with_settings_only_has_sixty_empty_minutes_and_an_unknown_queue_none() {
    store.queues().put("configured", new QueueSettings(5, null, null, false), T0);

    QueueTimeline history = store.queues().history("configured", NOW).orElseThrow();

    assertThat(history.attemptTimeoutMs()).isNull();
    assertThat(history.buckets())
        .hasSize(60)
        .allSatisfy(
            b -> {
              assertThat(List.of(b.created(), b.finished(), b.depth(), (long) b.attempts()))
                  .containsOnly(0L);
              assertThat(b.attemptDurationMs()).isEqualTo(new AttemptDurations(null, null, null));
            });
    assertThat(store.queues().history("never-used", NOW)).isEmpty();
  }

  @Test
  void the_timeout_is_null_when_no_sampled_task_has_one_and_old_tasks_still_make_a_queue_known() {
    create(aTask("old").runAt(T0.plus(Duration.ofHours(2))), T0.minus(Duration.ofDays(1)));
    TaskId unlimited = create(aTask("unlimited").timeout(null), T0.minus(Duration.ofMinutes(2)));
    clock.set(T0.minus(Duration.ofMinutes(2)));
    claim();
    finish(unlimited, 7, new Transition(TaskStatus.SUCCEEDED, null, OK, null));

    assertThat(store.queues().history("unlimited", NOW).orElseThrow().attemptTimeoutMs()).isNull();
    QueueTimeline old = store.queues().history("old", NOW).orElseThrow();
    assertThat(old.buckets()).allSatisfy(b -> assertThat(b.depth()).isEqualTo(1));
  }

  @Test
  void more_attempts_in_a_minute_than_the_sample_are_read_as_the_latest_of_the_minute() {
    int tasks = QueueHistory.ATTEMPT_SAMPLE + 20;
    for (int i = 0; i < tasks; i++) create(aTask("busy"), T0.minus(Duration.ofMinutes(2)));
    clock.set(T0.minus(Duration.ofMinutes(1)));
    List<TaskId> claimed =
        store.pushClaims().claimDue("node-a", clock.instant(), tasks, LEASE).stream()
            .map(Task::id)
            .toList();
    for (int i = 0; i < tasks; i++)
      finish(claimed.get(i), i + 1, new Transition(TaskStatus.SUCCEEDED, null, OK, null));

    Bucket minute = store.queues().history("busy", NOW).orElseThrow().buckets().get(28);

    assertThat(minute.succeeded()).isEqualTo(tasks);
    assertThat(minute.attempts()).isEqualTo(QueueHistory.ATTEMPT_SAMPLE);
    assertThat(minute.attemptDurationMs())
        .as("durations 21..320 ms, the latest 300")
        .isEqualTo(new AttemptDurations(170L, 305L, 317L));
  }

  private static NewTask.Builder aTask(String queue) {
    return NewTask.builder().queue(queue).callbackUrl("https://target.example/work");
  }

  private TaskId create(NewTask.Builder task, Instant at) {
    CreateResult result =
        store
            .inserts()
            .create(List.of(TaskBatch.of(task.build())), at, Duration.ofHours(1))
            .getFirst();
    return ((CreateResult.Created) result).tasks().getFirst().id();
  }

  private List<TaskId> claim() {
    return store.pushClaims().claimDue("node-a", clock.instant(), 10, LEASE).stream()
        .map(Task::id)
        .toList();
  }

  /** Ends the running attempt of {@code id} {@code durationMs} after the clock's time. */
  private void finish(TaskId id, long durationMs, Transition transition) {
    Task running = store.tasks().find(id).orElseThrow();
    AttemptOutcome outcome =
        transition.status() == TaskStatus.SUCCEEDED
            ? AttemptOutcome.SUCCEEDED
            : AttemptOutcome.HTTP_ERROR;
    Attempt attempt =
        new Attempt(
            id,
            running.attempts(),
            running.attemptStartedAt(),
            clock.instant().plusMillis(durationMs),
            outcome,
            outcome == AttemptOutcome.SUCCEEDED ? 200 : 500,
            null,
            null,
            running.leaseOwner());
    assertThat(
            store
                .completion()
                .finish(List.of(new FinishedAttempt(attempt, running.leaseOwner(), transition))))
        .containsExactly(id);
  }

  private static Bucket bucket(
      int index,
      long created,
      long succeeded,
      long failed,
      long cancelled,
      long depth,
      int attempts,
      AttemptDurations durations) {
    return new Bucket(
        FROM.plus(Duration.ofMinutes(index)),
        created,
        succeeded,
        failed,
        cancelled,
        depth,
        attempts,
        durations == null ? new AttemptDurations(null, null, null) : durations);
  }

  /**
   * Sixty depths: {@code first}, then from each minute {@code changes[2k]} on, {@code changes[2k +
   * 1]}.
   */
  private static long[] depths(long first, int... changes) {
    long[] depths = new long[60];
    Arrays.fill(depths, first);
    for (int c = 0; c < changes.length; c += 2) Arrays.fill(depths, changes[c], 60, changes[c + 1]);
    return depths;
  }
}
