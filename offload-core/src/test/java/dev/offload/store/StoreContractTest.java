package dev.offload.store;

import static dev.offload.task.TestTasks.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.offload.event.EventQuery;
import dev.offload.queue.QueueDepth;
import dev.offload.queue.QueueSettings;
import dev.offload.schedule.CronTickTest;
import dev.offload.schedule.FireResult;
import dev.offload.schedule.Schedule;
import dev.offload.schedule.ScheduleDefinition;
import dev.offload.task.ActionResult;
import dev.offload.task.Attempt;
import dev.offload.task.AttemptOutcome;
import dev.offload.task.Backoff;
import dev.offload.task.Continuation;
import dev.offload.task.CreateResult;
import dev.offload.task.CreateResult.Created;
import dev.offload.task.CreateResult.CreatedTask;
import dev.offload.task.CreateResult.KeyConflict;
import dev.offload.task.FinishedAttempt;
import dev.offload.task.NewTask;
import dev.offload.task.Task;
import dev.offload.task.TaskBatch;
import dev.offload.task.TaskEvent;
import dev.offload.task.TaskId;
import dev.offload.task.TaskPage;
import dev.offload.task.TaskQuery;
import dev.offload.task.TaskResult;
import dev.offload.task.TaskStatus;
import dev.offload.task.Transition;
import dev.offload.task.WebhookResult;
import dev.offload.task.WebhookState;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link Store} must have, run against each dialect by a subclass. Time is
 * passed in as fixed instants; nothing here sleeps.
 */
abstract class StoreContractTest {
  static final Duration KEY_TTL = Duration.ofHours(24);
  static final Duration LEASE = Duration.ofSeconds(60);
  static final String NODE_A = "node-a";
  static final String NODE_B = "node-b";
  static final TaskResult OK = new TaskResult(200, "application/json", "{\"done\":true}", true, false);
  static final TaskResult UNAVAILABLE = new TaskResult(503, "text/plain", "try later", false, false);

  JdbcStore store;

  /** A fresh, empty store. */
  abstract JdbcStore openStore();

  @BeforeEach
  void open() {
    store = openStore();
  }

  @AfterEach
  void close() throws Exception {
    if (store != null) store.close();
  }

  // ---- helpers --------------------------------------------------------------------------------

  static NewTask.Builder aPushTask() {
    return NewTask.builder().callbackUrl("https://target.example/work").body("{\"n\":1}");
  }

  static NewTask.Builder aKeyedTask(String key, String hash) {
    return aPushTask().idempotencyKey(key).requestHash(hash);
  }

  CreateResult createBatch(Instant now, NewTask... tasks) {
    return store.inserts().create(List.of(new TaskBatch(List.of(tasks))), now, KEY_TTL).getFirst();
  }

  CreatedTask createOne(Instant now, NewTask task) {
    CreateResult result = createBatch(now, task);
    assertThat(result).isInstanceOf(Created.class);
    return ((Created) result).tasks().getFirst();
  }

  TaskId create(Instant now, NewTask task) {
    return createOne(now, task).id();
  }

  Task find(TaskId id) {
    return store.tasks().find(id).orElseThrow(() -> new AssertionError("no task " + id));
  }

  Task claimOne(String node, Instant now) {
    List<Task> claimed = store.pushClaims().claimDue(node, now, 10, LEASE);
    assertThat(claimed).hasSize(1);
    return claimed.getFirst();
  }

  static FinishedAttempt finished(Task claimed, Instant at, AttemptOutcome outcome, TaskResult response,
      String error, Transition transition) {
    Attempt attempt = new Attempt(claimed.id(), claimed.attempts(), claimed.attemptStartedAt(), at, outcome,
        response == null ? null : response.statusCode(), error, response == null ? null : response.body(),
        claimed.leaseOwner());
    return new FinishedAttempt(attempt, claimed.leaseOwner(), transition);
  }

  static FinishedAttempt succeeded(Task claimed, Instant at) {
    return finished(claimed, at, AttemptOutcome.SUCCEEDED, OK, null,
        new Transition(TaskStatus.SUCCEEDED, null, OK, null));
  }

  static FinishedAttempt failed(Task claimed, Instant at) {
    return finished(claimed, at, AttemptOutcome.HTTP_ERROR, UNAVAILABLE, "HTTP 503",
        new Transition(TaskStatus.FAILED, null, UNAVAILABLE, "HTTP 503"));
  }

  static FinishedAttempt retrying(Task claimed, Instant at, Instant dueAt) {
    return finished(claimed, at, AttemptOutcome.HTTP_ERROR, UNAVAILABLE, "HTTP 503",
        new Transition(TaskStatus.RETRYING, dueAt, UNAVAILABLE, "HTTP 503"));
  }

  static List<TaskId> ids(List<Task> tasks) {
    return tasks.stream().map(Task::id).toList();
  }

  // ---- create and find ------------------------------------------------------------------------

  @Test
  void creates_and_finds_a_push_task_with_every_field() {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Authorization", "Bearer abc");
    headers.put("X-Trace", "t-1");
    Backoff backoff = new Backoff(Backoff.Type.LINEAR, Duration.ofSeconds(2), Duration.ofMinutes(10), 1.5, false);
    NewTask task = NewTask.builder()
        .queue("videos")
        .callbackUrl("https://video.example/transcode?fmt=mp4")
        .method("PUT")
        .headers(headers)
        .body("<video id=\"7\"/>")
        .contentType("application/xml")
        .retries(5)
        .backoff(backoff)
        .timeout(Duration.ofSeconds(30))
        .webhookUrl(URI.create("https://app.example/on-done"))
        .idempotencyKey("order-1234")
        .requestHash("hash-1")
        .metadata("{\"orderId\":\"1234\"}")
        .scheduleName("nightly")
        .build();

    CreatedTask created = createOne(T0, task);

    assertThat(created).isEqualTo(new CreatedTask(task.id(), TaskStatus.QUEUED, false));
    assertThat(store.tasks().find(task.id())).contains(new Task(
        task.id(), "videos", null, "https://video.example/transcode?fmt=mp4", "PUT", headers, "<video id=\"7\"/>",
        "application/xml", TaskStatus.QUEUED, T0, T0, null, null, null, 0, 6, 5, backoff, Duration.ofSeconds(30),
        null, null, null, null, "{\"orderId\":\"1234\"}", "nightly", "order-1234", null,
        new WebhookState("https://app.example/on-done", null, 0, null), null, null, 0, null, null, Continuation.NONE));
  }

  @Test
  void creates_and_finds_a_pull_task_with_defaults_and_no_timeout() {
    NewTask task = NewTask.builder().name("resize-image").queue("images").timeout(null).build();

    create(T0, task);

    assertThat(store.tasks().find(task.id())).contains(new Task(
        task.id(), "images", "resize-image", null, "POST", Map.of(), null, null, TaskStatus.QUEUED, T0, T0,
        null, null, null, 0, 4, 3, Backoff.DEFAULT, null, null, null, null, null, null, null, null, null, null, null, null, 0, null, null, Continuation.NONE));
  }

  @Test
  void find_of_an_unknown_id_is_empty() {
    assertThat(store.tasks().find(TaskId.generate())).isEmpty();
  }

  @Test
  void a_run_at_in_the_past_runs_now() {
    TaskId id = create(T0, aPushTask().runAt(T0.minusSeconds(60)).build());

    assertThat(find(id).status()).isEqualTo(TaskStatus.QUEUED);
    assertThat(find(id).runAt()).isEqualTo(T0);
  }

  // ---- scheduling and claiming ----------------------------------------------------------------

  @Test
  void a_task_with_run_at_in_the_future_is_scheduled_and_claimed_only_once_due() {
    Instant runAt = T0.plus(Duration.ofMinutes(10));
    CreatedTask created = createOne(T0, aPushTask().runAt(runAt).build());

    assertThat(created.status()).isEqualTo(TaskStatus.SCHEDULED);
    assertThat(find(created.id()).status()).isEqualTo(TaskStatus.SCHEDULED);
    assertThat(find(created.id()).runAt()).isEqualTo(runAt);
    assertThat(store.pushClaims().claimDue(NODE_A, T0, 10, LEASE)).isEmpty();
    assertThat(store.pushClaims().claimDue(NODE_A, runAt.minusMillis(1), 10, LEASE)).isEmpty();

    assertThat(ids(store.pushClaims().claimDue(NODE_A, runAt, 10, LEASE))).containsExactly(created.id());
  }

  @Test
  void claim_due_leases_the_task_to_the_node_and_counts_the_attempt() {
    TaskId id = create(T0, aPushTask().build());
    Instant claimedAt = T0.plusSeconds(1);

    Task claimed = claimOne(NODE_A, claimedAt);

    assertThat(claimed.id()).isEqualTo(id);
    assertThat(claimed.status()).isEqualTo(TaskStatus.RUNNING);
    assertThat(claimed.attempts()).isEqualTo(1);
    assertThat(claimed.leaseOwner()).isEqualTo(NODE_A);
    assertThat(claimed.startedAt()).isEqualTo(claimedAt);
    assertThat(claimed.attemptStartedAt()).isEqualTo(claimedAt);
    assertThat(find(id)).isEqualTo(claimed);
  }

  @Test
  void a_claimed_task_is_not_claimed_again() {
    create(T0, aPushTask().build());
    claimOne(NODE_A, T0);

    assertThat(store.pushClaims().claimDue(NODE_B, T0.plusSeconds(30), 10, LEASE)).isEmpty();
  }

  @Test
  void claim_due_takes_at_most_max_tasks_oldest_due_first() {
    TaskId late = create(T0, aPushTask().runAt(T0.plusSeconds(3)).build());
    TaskId early = create(T0, aPushTask().runAt(T0.plusSeconds(1)).build());
    TaskId middle = create(T0, aPushTask().runAt(T0.plusSeconds(2)).build());

    List<Task> claimed = store.pushClaims().claimDue(NODE_A, T0.plusSeconds(5), 2, LEASE);

    assertThat(ids(claimed)).containsExactlyInAnyOrder(early, middle);
    assertThat(ids(store.pushClaims().claimDue(NODE_A, T0.plusSeconds(5), 2, LEASE))).containsExactly(late);
  }

  @Test
  void claims_go_in_order_of_due_time_less_priority_among_due_tasks() {
    TaskId plain = create(T0.minusSeconds(10), aPushTask().build());
    TaskId urgent = create(T0, aPushTask().priority(60).build());
    TaskId low = create(T0.minusSeconds(20), aPushTask().priority(-30).build());
    TaskId notYetDue = create(T0, aPushTask().runAt(T0.plusSeconds(30)).priority(NewTask.MAX_PRIORITY).build());

    List<TaskId> order = new ArrayList<>();
    for (int i = 0; i < 3; i++) order.add(store.pushClaims().claimDue(NODE_A, T0, 1, LEASE).getFirst().id());

    assertThat(order).as("due less head start: T0-60s, T0-10s, T0+10s").containsExactly(urgent, plain, low);
    assertThat(find(urgent).priority()).isEqualTo(60);
    assertThat(find(notYetDue).status()).as("a head start never makes a task due early").isEqualTo(TaskStatus.SCHEDULED);
  }

  @Test
  void queues_take_turns_so_a_long_queue_never_starves_another() {
    for (int i = 0; i < 20; i++) create(T0, aPushTask().queue("long").build());
    for (int i = 0; i < 3; i++) create(T0, aPushTask().queue("short").build());

    Set<String> served = new HashSet<>();
    for (int i = 0; i < 2; i++) store.pushClaims().claimDue(NODE_A, T0, 3, LEASE).forEach(t -> served.add(t.queue()));

    assertThat(served).containsExactlyInAnyOrder("long", "short");
  }

  @Test
  void a_due_task_becomes_queued_even_in_a_paused_queue_and_counts_as_ready() {
    store.queues().put("held", new QueueSettings(null, null, null, true), T0);
    TaskId later = create(T0, aPushTask().queue("held").runAt(T0.plusSeconds(10)).build());
    TaskId retried = create(T0, aPushTask().queue("held").retries(1).build());
    store.queues().put("held", QueueSettings.NONE, T0);
    store.completion().finish(List.of(retrying(claimOne(NODE_A, T0), T0.plusSeconds(1), T0.plusSeconds(5))));
    store.queues().put("held", new QueueSettings(null, null, null, true), T0);

    assertThat(store.pushClaims().nextDueAt(T0.plusSeconds(1))).as("woken to promote, though paused").contains(T0.plusSeconds(5));
    assertThat(store.pushClaims().claimDue(NODE_A, T0.plusSeconds(5), 10, LEASE)).isEmpty();
    assertThat(find(retried).status()).isEqualTo(TaskStatus.QUEUED);
    assertThat(find(later).status()).isEqualTo(TaskStatus.SCHEDULED);
    assertThat(store.pushClaims().nextDueAt(T0.plusSeconds(5))).contains(T0.plusSeconds(10));

    assertThat(store.pushClaims().claimDue(NODE_A, T0.plusSeconds(10), 10, LEASE)).isEmpty();
    assertThat(find(later).status()).isEqualTo(TaskStatus.QUEUED);
    assertThat(store.pushClaims().nextDueAt(T0.plusSeconds(10))).as("nothing to do until the queue resumes").isEmpty();
    assertThat(store.queues().queueDepths(T0.plusSeconds(12))).containsExactly(new QueueDepth("held", TaskStatus.QUEUED, 2, T0.plusSeconds(5)));
    assertThat(store.queues().find("held", T0.plusSeconds(12)).orElseThrow().oldestReadyAgeMs()).isEqualTo(7_000L);
  }

  @Test
  void claim_due_leaves_pull_tasks_to_workers() {
    create(T0, NewTask.builder().name("send-email").build());

    assertThat(store.pushClaims().claimDue(NODE_A, T0.plusSeconds(1), 10, LEASE)).isEmpty();
    assertThat(store.pushClaims().nextDueAt(T0)).isEmpty();
  }

  @Test
  void two_claimers_never_get_the_same_task() throws Exception {
    List<TaskBatch> batches = IntStream.range(0, 500).mapToObj(i -> TaskBatch.of(aPushTask().build())).toList();
    Set<TaskId> all = new HashSet<>();
    for (CreateResult result : store.inserts().create(batches, T0, KEY_TTL)) {
      all.add(((Created) result).tasks().getFirst().id());
    }
    CountDownLatch start = new CountDownLatch(1);
    Callable<List<TaskId>> claimer = () -> {
      String node = Thread.currentThread().getName();
      List<TaskId> mine = new ArrayList<>();
      start.await();
      while (true) {
        List<Task> claimed = store.pushClaims().claimDue(node, T0.plusSeconds(1), 7, LEASE);
        if (claimed.isEmpty()) return mine;
        claimed.forEach(task -> assertThat(task.leaseOwner()).isEqualTo(node));
        mine.addAll(ids(claimed));
      }
    };
    ExecutorService threads = Executors.newFixedThreadPool(2);
    try {
      Future<List<TaskId>> first = threads.submit(claimer);
      Future<List<TaskId>> second = threads.submit(claimer);
      start.countDown();
      List<TaskId> union = new ArrayList<>(first.get(60, TimeUnit.SECONDS));
      union.addAll(second.get(60, TimeUnit.SECONDS));

      assertThat(union).doesNotHaveDuplicates().hasSize(500);
      assertThat(new HashSet<>(union)).isEqualTo(all);
    } finally {
      threads.shutdownNow();
    }
  }

  // ---- finishing attempts ---------------------------------------------------------------------

  @Test
  void finish_applies_the_transition_of_the_running_attempt_and_records_it() {
    TaskId id = create(T0, aPushTask().build());
    Task claimed = claimOne(NODE_A, T0.plusSeconds(1));
    FinishedAttempt done = succeeded(claimed, T0.plusSeconds(3));

    assertThat(store.completion().finish(List.of(done))).containsExactly(id);

    Task task = find(id);
    assertThat(task.status()).isEqualTo(TaskStatus.SUCCEEDED);
    assertThat(task.finishedAt()).isEqualTo(T0.plusSeconds(3));
    assertThat(task.result()).isEqualTo(OK);
    assertThat(task.lastError()).isNull();
    assertThat(task.leaseOwner()).isNull();
    assertThat(task.nextAttemptAt()).isNull();
    assertThat(store.tasks().attempts(id)).containsExactly(done.attempt());
    assertThat(store.pushClaims().claimDue(NODE_A, T0.plus(Duration.ofDays(1)), 10, LEASE)).isEmpty();
  }

  @Test
  void finish_with_a_retrying_transition_makes_the_task_due_again_at_its_due_time() {
    TaskId id = create(T0, aPushTask().build());
    Task first = claimOne(NODE_A, T0);
    Instant dueAt = T0.plusSeconds(5);

    store.completion().finish(List.of(retrying(first, T0.plusSeconds(1), dueAt)));

    Task task = find(id);
    assertThat(task.status()).isEqualTo(TaskStatus.RETRYING);
    assertThat(task.nextAttemptAt()).isEqualTo(dueAt);
    assertThat(task.finishedAt()).isNull();
    assertThat(task.lastError()).isEqualTo("HTTP 503");
    assertThat(task.result()).isEqualTo(UNAVAILABLE);
    assertThat(store.pushClaims().nextDueAt(T0)).contains(dueAt);
    assertThat(store.pushClaims().claimDue(NODE_A, dueAt.minusMillis(1), 10, LEASE)).isEmpty();

    Task second = claimOne(NODE_B, dueAt);
    assertThat(second.attempts()).isEqualTo(2);
    assertThat(second.startedAt()).as("started at the first attempt").isEqualTo(T0);
    assertThat(second.attemptStartedAt()).isEqualTo(dueAt);
  }

  @Test
  void finish_applies_many_attempts_in_one_call() {
    TaskId one = create(T0, aPushTask().build());
    TaskId two = create(T0, aPushTask().build());
    List<Task> claimed = store.pushClaims().claimDue(NODE_A, T0, 10, LEASE);

    List<TaskId> applied = store.completion().finish(claimed.stream().map(t -> succeeded(t, T0.plusSeconds(1))).toList());

    assertThat(applied).containsExactlyInAnyOrder(one, two);
    assertThat(find(one).status()).isEqualTo(TaskStatus.SUCCEEDED);
    assertThat(find(two).status()).isEqualTo(TaskStatus.SUCCEEDED);
    assertThat(store.completion().finish(List.of())).isEmpty();
  }

  @Test
  void finish_leaves_a_task_cancelled_meanwhile_cancelled_but_records_the_attempt() {
    TaskId id = create(T0, aPushTask().build());
    Task claimed = claimOne(NODE_A, T0);
    store.actions().cancel(id, T0.plusSeconds(1));
    FinishedAttempt late = succeeded(claimed, T0.plusSeconds(2));

    assertThat(store.completion().finish(List.of(late))).isEmpty();

    Task task = find(id);
    assertThat(task.status()).isEqualTo(TaskStatus.CANCELLED);
    assertThat(task.finishedAt()).isEqualTo(T0.plusSeconds(1));
    assertThat(task.result()).isNull();
    assertThat(store.tasks().attempts(id)).containsExactly(late.attempt());
  }

  @Test
  void finish_by_a_node_that_does_not_hold_the_lease_changes_nothing() {
    TaskId id = create(T0, aPushTask().build());
    Task claimed = claimOne(NODE_A, T0);
    FinishedAttempt done = succeeded(claimed, T0.plusSeconds(1));
    FinishedAttempt byOtherNode = new FinishedAttempt(done.attempt(), NODE_B, done.transition());

    assertThat(store.completion().finish(List.of(byOtherNode))).isEmpty();

    assertThat(find(id).status()).isEqualTo(TaskStatus.RUNNING);
    assertThat(find(id).leaseOwner()).isEqualTo(NODE_A);
  }

  @Test
  void finish_of_an_earlier_attempt_does_not_touch_the_current_one() {
    TaskId id = create(T0, aPushTask().build());
    Task first = claimOne(NODE_A, T0);
    // node-a goes silent; its lease expires and the task is put back, then node-a claims it again
    store.completion().finish(List.of(finished(first, T0.plusSeconds(61), AttemptOutcome.LEASE_EXPIRED, null, "lease expired",
        new Transition(TaskStatus.RETRYING, T0.plusSeconds(62), null, "lease expired"))));
    Task second = claimOne(NODE_A, T0.plusSeconds(62));
    FinishedAttempt staleSuccess = succeeded(first, T0.plusSeconds(63));

    assertThat(store.completion().finish(List.of(staleSuccess))).isEmpty();

    Task task = find(id);
    assertThat(task.status()).isEqualTo(TaskStatus.RUNNING);
    assertThat(task.attempts()).isEqualTo(2);
    assertThat(task.attemptStartedAt()).isEqualTo(second.attemptStartedAt());
    assertThat(store.tasks().attempts(id)).extracting(Attempt::number, Attempt::outcome)
        .as("the first record of attempt 1 is kept")
        .containsExactly(tuple(1, AttemptOutcome.LEASE_EXPIRED));
  }

  // ---- idempotency ----------------------------------------------------------------------------

  @Test
  void the_same_key_and_request_replays_the_original_task() {
    TaskId original = create(T0, aKeyedTask("order-1", "hash-a").build());
    NewTask again = aKeyedTask("order-1", "hash-a").build();

    CreatedTask replay = createOne(T0.plus(Duration.ofHours(1)), again);

    assertThat(replay).isEqualTo(new CreatedTask(original, TaskStatus.QUEUED, true));
    assertThat(store.tasks().find(again.id())).isEmpty();
  }

  @Test
  void a_replay_reports_the_current_status_of_the_original_task() {
    TaskId original = create(T0, aKeyedTask("order-1", "hash-a").build());
    claimOne(NODE_A, T0);

    CreatedTask replay = createOne(T0.plusSeconds(1), aKeyedTask("order-1", "hash-a").build());

    assertThat(replay).isEqualTo(new CreatedTask(original, TaskStatus.RUNNING, true));
  }

  @Test
  void the_same_key_with_a_different_request_is_a_conflict_and_creates_nothing() {
    TaskId original = create(T0, aKeyedTask("order-1", "hash-a").build());
    NewTask unkeyed = aPushTask().build();
    NewTask conflicting = aKeyedTask("order-1", "hash-b").build();

    CreateResult result = createBatch(T0.plusSeconds(1), unkeyed, conflicting);

    assertThat(result).isEqualTo(new KeyConflict("order-1", original));
    assertThat(store.tasks().find(unkeyed.id())).isEmpty();
    assertThat(store.tasks().find(conflicting.id())).isEmpty();
  }

  @Test
  void an_expired_key_creates_a_new_task_and_then_replays_that_one() {
    TaskId original = create(T0, aKeyedTask("order-1", "hash-a").build());
    Instant afterTtl = T0.plus(KEY_TTL).plusSeconds(1);
    NewTask fresh = aKeyedTask("order-1", "hash-b").build();

    CreatedTask created = createOne(afterTtl, fresh);

    assertThat(created).isEqualTo(new CreatedTask(fresh.id(), TaskStatus.QUEUED, false));
    assertThat(store.tasks().find(original)).isPresent();
    assertThat(createOne(afterTtl.plusSeconds(1), aKeyedTask("order-1", "hash-b").build()))
        .isEqualTo(new CreatedTask(fresh.id(), TaskStatus.QUEUED, true));
  }

  @Test
  void a_batch_of_three_with_one_conflicting_key_creates_none() {
    TaskId holder = create(T0, aKeyedTask("taken", "hash-a").build());
    NewTask first = aPushTask().build();
    NewTask second = aKeyedTask("free", "hash-x").build();
    NewTask third = aKeyedTask("taken", "hash-b").build();

    CreateResult result = createBatch(T0.plusSeconds(1), first, second, third);

    assertThat(result).isEqualTo(new KeyConflict("taken", holder));
    assertThat(store.tasks().find(first.id())).isEmpty();
    assertThat(store.tasks().find(second.id())).isEmpty();
    assertThat(store.tasks().find(third.id())).isEmpty();
    assertThat(createOne(T0.plusSeconds(2), aKeyedTask("free", "hash-y").build()).replayed())
        .as("the key of the rejected batch was not taken")
        .isFalse();
  }

  @Test
  void a_conflicting_batch_does_not_stop_the_other_batches_of_the_same_commit() {
    TaskId holder = create(T0, aKeyedTask("taken", "hash-a").build());
    NewTask before = aPushTask().build();
    NewTask conflicting = aKeyedTask("taken", "hash-b").build();
    NewTask after = aKeyedTask("other", "hash-c").build();

    List<CreateResult> results = store.inserts().create(
        List.of(TaskBatch.of(before), TaskBatch.of(conflicting), TaskBatch.of(after)), T0.plusSeconds(1), KEY_TTL);

    assertThat(results).containsExactly(
        new Created(List.of(new CreatedTask(before.id(), TaskStatus.QUEUED, false))),
        new KeyConflict("taken", holder),
        new Created(List.of(new CreatedTask(after.id(), TaskStatus.QUEUED, false))));
    assertThat(store.tasks().find(before.id())).isPresent();
    assertThat(store.tasks().find(conflicting.id())).isEmpty();
    assertThat(store.tasks().find(after.id())).isPresent();
  }

  @Test
  void a_later_batch_of_the_same_commit_replays_an_earlier_one_with_the_same_key() {
    NewTask first = aKeyedTask("order-1", "hash-a").build();
    NewTask second = aKeyedTask("order-1", "hash-a").build();

    List<CreateResult> results = store.inserts().create(List.of(TaskBatch.of(first), TaskBatch.of(second)), T0, KEY_TTL);

    assertThat(results).containsExactly(
        new Created(List.of(new CreatedTask(first.id(), TaskStatus.QUEUED, false))),
        new Created(List.of(new CreatedTask(first.id(), TaskStatus.QUEUED, true))));
    assertThat(store.tasks().find(second.id())).isEmpty();
  }

  @Test
  void purge_deletes_only_expired_keys() {
    create(T0, aKeyedTask("old", "h").build());
    create(T0.plus(Duration.ofHours(12)), aKeyedTask("young", "h").build());

    assertThat(store.inserts().purgeExpiredKeys(T0.plus(KEY_TTL).plusSeconds(1))).isEqualTo(1);
    assertThat(createOne(T0.plus(KEY_TTL).plusSeconds(2), aKeyedTask("young", "h").build()).replayed()).isTrue();
  }

  // ---- listing --------------------------------------------------------------------------------

  @Test
  void list_pages_newest_first_with_a_cursor() {
    List<TaskId> created = new ArrayList<>();
    for (int i = 0; i < 5; i++) created.add(create(T0.plusSeconds(i), aPushTask().build()));

    TaskPage first = store.tasks().list(new TaskQuery(null, null, null, 2, null));
    TaskPage second = store.tasks().list(new TaskQuery(null, null, null, 2, first.nextCursor()));
    TaskPage last = store.tasks().list(new TaskQuery(null, null, null, 2, second.nextCursor()));

    assertThat(ids(first.tasks())).containsExactly(created.get(4), created.get(3));
    assertThat(first.nextCursor()).isEqualTo(created.get(3));
    assertThat(ids(second.tasks())).containsExactly(created.get(2), created.get(1));
    assertThat(ids(last.tasks())).containsExactly(created.get(0));
    assertThat(last.nextCursor()).isNull();
  }

  @Test
  void a_page_that_ends_exactly_at_the_last_task_has_no_cursor() {
    for (int i = 0; i < 4; i++) create(T0, aPushTask().build());

    TaskPage first = store.tasks().list(new TaskQuery(null, null, null, 2, null));
    TaskPage second = store.tasks().list(new TaskQuery(null, null, null, 2, first.nextCursor()));

    assertThat(second.tasks()).hasSize(2);
    assertThat(second.nextCursor()).isNull();
    assertThat(store.tasks().list(new TaskQuery(null, null, null, 4, null)).nextCursor()).isNull();
  }

  @Test
  void list_filters_by_queue_status_and_schedule() {
    TaskId emailA = create(T0, aPushTask().queue("emails").build());
    TaskId emailB = create(T0, aPushTask().queue("emails").scheduleName("digest").build());
    TaskId video = create(T0, aPushTask().queue("videos").scheduleName("digest").build());
    store.actions().cancel(emailA, T0);

    assertThat(ids(store.tasks().list(new TaskQuery("emails", null, null, 50, null)).tasks()))
        .containsExactly(emailB, emailA);
    assertThat(ids(store.tasks().list(new TaskQuery(null, TaskStatus.QUEUED, null, 50, null)).tasks()))
        .containsExactly(video, emailB);
    assertThat(ids(store.tasks().list(new TaskQuery("emails", TaskStatus.CANCELLED, null, 50, null)).tasks()))
        .containsExactly(emailA);
    assertThat(ids(store.tasks().list(new TaskQuery("videos", TaskStatus.CANCELLED, null, 50, null)).tasks())).isEmpty();
    assertThat(ids(store.tasks().list(new TaskQuery(null, null, "digest", 50, null)).tasks()))
        .containsExactly(video, emailB);
    assertThat(store.tasks().list(new TaskQuery("nobody", null, null, 50, null)))
        .isEqualTo(new TaskPage(List.of(), null));
  }

  // ---- cancel and retry -----------------------------------------------------------------------

  @Test
  void cancel_of_a_queued_task_cancels_it_at_once() {
    TaskId id = create(T0, aPushTask().build());

    ActionResult result = store.actions().cancel(id, T0.plusSeconds(1));

    assertThat(result).isInstanceOf(ActionResult.Done.class);
    Task task = ((ActionResult.Done) result).task();
    assertThat(task.status()).isEqualTo(TaskStatus.CANCELLED);
    assertThat(task.finishedAt()).isEqualTo(T0.plusSeconds(1));
    assertThat(store.pushClaims().claimDue(NODE_A, T0.plusSeconds(2), 10, LEASE)).isEmpty();
    assertThat(store.pushClaims().nextDueAt(T0)).isEmpty();
  }

  @Test
  void a_reaper_does_not_take_back_a_lease_its_owner_renewed_meanwhile() {
    TaskId id = create(T0, aPushTask().build());
    Task claimed = claimOne(NODE_A, T0);
    Instant reapAt = T0.plus(LEASE).plusSeconds(1);
    Task expired = store.pushClaims().expiredLeases(reapAt, 10).getFirst();
    store.pushClaims().renewLeases(NODE_A, reapAt.plus(LEASE));
    Attempt lost = new Attempt(id, expired.attempts(), T0, reapAt, AttemptOutcome.LEASE_EXPIRED, null, "lease expired", null, NODE_A);

    List<TaskId> applied = store.completion().finish(List.of(new FinishedAttempt(
        lost, NODE_A, new Transition(TaskStatus.RETRYING, reapAt, null, "lease expired"), reapAt, expired.queue())));

    assertThat(applied).isEmpty();
    assertThat(find(id).status()).isEqualTo(TaskStatus.RUNNING);
    assertThat(store.completion().finish(List.of(succeeded(claimed, reapAt.plusSeconds(1))))).containsExactly(id);
  }

  @Test
  void the_same_key_twice_in_one_batch_replays_the_first_or_conflicts() {
    CreateResult same = createBatch(T0, aKeyedTask("k", "hash-a").build(), aKeyedTask("k", "hash-a").build());
    List<CreatedTask> tasks = ((CreateResult.Created) same).tasks();
    assertThat(tasks.get(1).id()).isEqualTo(tasks.get(0).id());
    assertThat(tasks.get(1).replayed()).isTrue();

    CreateResult different = createBatch(T0, aKeyedTask("k2", "hash-a").build(), aKeyedTask("k2", "hash-b").build());
    assertThat(different).isInstanceOf(CreateResult.KeyConflict.class);
    assertThat(store.tasks().list(new TaskQuery(null, null, null, 50, null)).tasks()).hasSize(1);
  }

  @Test
  void cancel_of_a_scheduled_or_retrying_task_is_done() {
    TaskId scheduled = create(T0, aPushTask().runAt(T0.plusSeconds(60)).build());
    TaskId retried = create(T0, aPushTask().build());
    store.completion().finish(List.of(retrying(claimOne(NODE_A, T0), T0.plusSeconds(1), T0.plusSeconds(10))));

    assertThat(store.actions().cancel(scheduled, T0.plusSeconds(2))).isInstanceOf(ActionResult.Done.class);
    assertThat(store.actions().cancel(retried, T0.plusSeconds(2))).isInstanceOf(ActionResult.Done.class);
    assertThat(store.pushClaims().claimDue(NODE_A, T0.plus(Duration.ofDays(1)), 10, LEASE)).isEmpty();
  }

  @Test
  void cancel_of_a_running_task_releases_its_lease() {
    TaskId id = create(T0, aPushTask().build());
    claimOne(NODE_A, T0);

    ActionResult result = store.actions().cancel(id, T0.plusSeconds(1));

    assertThat(result).isInstanceOf(ActionResult.Done.class);
    assertThat(find(id).leaseOwner()).isNull();
    assertThat(store.pushClaims().expiredLeases(T0.plus(Duration.ofDays(1)), 10)).isEmpty();
  }

  @Test
  void cancel_of_a_succeeded_task_is_in_the_wrong_state() {
    TaskId id = create(T0, aPushTask().build());
    store.completion().finish(List.of(succeeded(claimOne(NODE_A, T0), T0.plusSeconds(1))));

    ActionResult result = store.actions().cancel(id, T0.plusSeconds(2));

    assertThat(result).isEqualTo(new ActionResult.WrongState(find(id)));
    assertThat(find(id).status()).isEqualTo(TaskStatus.SUCCEEDED);
    assertThat(find(id).finishedAt()).isEqualTo(T0.plusSeconds(1));
  }

  @Test
  void cancel_of_a_missing_task_is_not_found() {
    assertThat(store.actions().cancel(TaskId.generate(), T0)).isEqualTo(new ActionResult.NotFound());
  }

  @Test
  void retry_of_a_failed_task_queues_it_with_a_fresh_retry_budget() {
    TaskId id = create(T0, aPushTask().retries(2).build());
    store.completion().finish(List.of(failed(claimOne(NODE_A, T0), T0.plusSeconds(1))));
    Instant retriedAt = T0.plusSeconds(60);

    ActionResult result = store.actions().retry(id, retriedAt);

    assertThat(result).isInstanceOf(ActionResult.Done.class);
    Task task = ((ActionResult.Done) result).task();
    assertThat(task.status()).isEqualTo(TaskStatus.QUEUED);
    assertThat(task.attempts()).isEqualTo(1);
    assertThat(task.maxAttempts()).as("attempts + retries + 1").isEqualTo(1 + 2 + 1);
    assertThat(task.finishedAt()).isNull();
    assertThat(store.pushClaims().nextDueAt(retriedAt)).contains(retriedAt);
    assertThat(claimOne(NODE_A, retriedAt).attempts()).isEqualTo(2);
    assertThat(store.tasks().attempts(id)).hasSize(1);
  }

  @Test
  void retry_of_a_cancelled_task_queues_it() {
    TaskId id = create(T0, aPushTask().build());
    store.actions().cancel(id, T0);

    assertThat(store.actions().retry(id, T0.plusSeconds(1))).isInstanceOf(ActionResult.Done.class);
    assertThat(find(id).status()).isEqualTo(TaskStatus.QUEUED);
  }

  @Test
  void retry_of_an_active_or_succeeded_task_is_in_the_wrong_state() {
    TaskId queued = create(T0, aPushTask().build());
    TaskId done = create(T0, aPushTask().build());
    store.completion().finish(List.of(succeeded(store.pushClaims().claimDue(NODE_A, T0, 10, LEASE).stream()
        .filter(t -> t.id().equals(done)).findFirst().orElseThrow(), T0.plusSeconds(1))));

    assertThat(store.actions().retry(done, T0.plusSeconds(2))).isInstanceOf(ActionResult.WrongState.class);
    assertThat(store.actions().retry(queued, T0.plusSeconds(2))).isInstanceOf(ActionResult.WrongState.class);
    assertThat(store.actions().retry(TaskId.generate(), T0)).isEqualTo(new ActionResult.NotFound());
  }

  @Test
  void progress_is_kept_on_active_tasks_only() {
    TaskId id = create(T0, aPushTask().build());
    Task claimed = claimOne(NODE_A, T0);

    assertThat(store.actions().updateProgress(id, "{\"percent\":40}", T0)).isInstanceOf(ActionResult.Done.class);
    assertThat(find(id).progress()).isEqualTo("{\"percent\":40}");

    store.completion().finish(List.of(succeeded(claimed, T0.plusSeconds(1))));
    assertThat(store.actions().updateProgress(id, "{\"percent\":99}", T0)).isInstanceOf(ActionResult.WrongState.class);
    assertThat(find(id).progress()).isEqualTo("{\"percent\":40}");
    assertThat(store.actions().updateProgress(TaskId.generate(), "{}", T0)).isEqualTo(new ActionResult.NotFound());
  }

  // ---- leases ---------------------------------------------------------------------------------

  @Test
  void expired_leases_finds_running_tasks_whose_lease_has_passed() {
    TaskId id = create(T0, aPushTask().build());
    claimOne(NODE_A, T0);

    assertThat(store.pushClaims().expiredLeases(T0.plus(LEASE).minusMillis(1), 10)).isEmpty();
    assertThat(ids(store.pushClaims().expiredLeases(T0.plus(LEASE).plusMillis(1), 10))).containsExactly(id);
  }

  @Test
  void expired_leases_ignores_tasks_that_are_not_running() {
    create(T0, aPushTask().build());
    create(T0, aPushTask().runAt(T0.plusSeconds(5)).build());

    assertThat(store.pushClaims().expiredLeases(T0.plus(Duration.ofDays(1)), 10)).isEmpty();
  }

  @Test
  void renew_leases_extends_every_lease_of_the_node_only() {
    TaskId ofA = create(T0, aPushTask().build());
    claimOne(NODE_A, T0);
    TaskId ofB = create(T0, aPushTask().build());
    claimOne(NODE_B, T0);

    assertThat(store.pushClaims().renewLeases(NODE_A, T0.plus(Duration.ofMinutes(5)))).isEqualTo(1);

    assertThat(ids(store.pushClaims().expiredLeases(T0.plus(Duration.ofMinutes(2)), 10))).containsExactly(ofB);
    assertThat(ids(store.pushClaims().expiredLeases(T0.plus(Duration.ofMinutes(6)), 10))).containsExactlyInAnyOrder(ofA, ofB);
    assertThat(store.pushClaims().renewLeases("node-gone", T0.plus(Duration.ofMinutes(5)))).isZero();
  }

  @Test
  void renew_leases_skips_tasks_no_longer_running() {
    create(T0, aPushTask().build());
    store.completion().finish(List.of(succeeded(claimOne(NODE_A, T0), T0.plusSeconds(1))));

    assertThat(store.pushClaims().renewLeases(NODE_A, T0.plus(Duration.ofMinutes(5)))).isZero();
  }

  // ---- webhooks -------------------------------------------------------------------------------

  @Test
  void a_terminal_transition_makes_the_webhook_due_until_it_is_delivered() {
    TaskId id = create(T0, aPushTask().webhookUrl(URI.create("https://app.example/hook")).build());
    Instant finishedAt = T0.plusSeconds(2);
    store.completion().finish(List.of(succeeded(claimOne(NODE_A, T0), finishedAt)));

    assertThat(find(id).webhook()).isEqualTo(
        new WebhookState("https://app.example/hook", WebhookState.Delivery.PENDING, 0, null));
    assertThat(store.webhooks().claimDueWebhooks(finishedAt.minusMillis(1), 10, LEASE)).isEmpty();
    List<Task> due = store.webhooks().claimDueWebhooks(finishedAt, 10, LEASE);
    assertThat(ids(due)).containsExactly(id);
    assertThat(due.getFirst().status()).isEqualTo(TaskStatus.SUCCEEDED);
    assertThat(store.webhooks().claimDueWebhooks(finishedAt.plusSeconds(1), 10, LEASE))
        .as("leased to the first sender")
        .isEmpty();

    store.webhooks().recordWebhook(new WebhookResult(id, WebhookState.Delivery.DELIVERED, 1, null, null));

    assertThat(find(id).webhook()).isEqualTo(
        new WebhookState("https://app.example/hook", WebhookState.Delivery.DELIVERED, 1, null));
    assertThat(store.webhooks().claimDueWebhooks(finishedAt.plus(Duration.ofDays(1)), 10, LEASE)).isEmpty();
  }

  @Test
  void a_webhook_whose_sender_stopped_is_due_again_after_its_lease() {
    TaskId id = create(T0, aPushTask().webhookUrl(URI.create("https://app.example/hook")).build());
    store.completion().finish(List.of(failed(claimOne(NODE_A, T0), T0)));
    store.webhooks().claimDueWebhooks(T0, 10, LEASE);

    assertThat(store.webhooks().claimDueWebhooks(T0.plus(LEASE).minusMillis(1), 10, LEASE)).isEmpty();
    assertThat(ids(store.webhooks().claimDueWebhooks(T0.plus(LEASE), 10, LEASE))).containsExactly(id);
  }

  @Test
  void a_failed_webhook_delivery_comes_back_at_its_next_attempt_time() {
    TaskId id = create(T0, aPushTask().webhookUrl(URI.create("https://app.example/hook")).build());
    store.completion().finish(List.of(succeeded(claimOne(NODE_A, T0), T0)));
    store.webhooks().claimDueWebhooks(T0, 10, LEASE);
    Instant next = T0.plusSeconds(10);

    store.webhooks().recordWebhook(new WebhookResult(id, WebhookState.Delivery.PENDING, 1, "HTTP 500", next));

    assertThat(find(id).webhook()).isEqualTo(
        new WebhookState("https://app.example/hook", WebhookState.Delivery.PENDING, 1, "HTTP 500"));
    assertThat(store.webhooks().claimDueWebhooks(next.minusMillis(1), 10, LEASE)).isEmpty();
    assertThat(ids(store.webhooks().claimDueWebhooks(next, 10, LEASE))).containsExactly(id);
  }

  @Test
  void a_cancel_makes_the_webhook_due() {
    TaskId id = create(T0, aPushTask().webhookUrl(URI.create("https://app.example/hook")).build());

    store.actions().cancel(id, T0.plusSeconds(1));

    assertThat(ids(store.webhooks().claimDueWebhooks(T0.plusSeconds(1), 10, LEASE))).containsExactly(id);
  }

  @Test
  void no_webhook_is_due_for_tasks_without_url_or_not_yet_terminal() {
    create(T0, aPushTask().build());
    store.completion().finish(List.of(succeeded(claimOne(NODE_A, T0), T0)));
    create(T0, aPushTask().webhookUrl(URI.create("https://app.example/hook")).build());
    store.completion().finish(List.of(retrying(claimOne(NODE_A, T0), T0, T0.plusSeconds(60))));

    assertThat(store.webhooks().claimDueWebhooks(T0.plus(Duration.ofDays(1)), 10, LEASE)).isEmpty();
  }

  // ---- settings and due times -----------------------------------------------------------------

  @Test
  void a_setting_keeps_its_first_value_forever() {
    assertThat(store.settings().read("task_token_key", "first")).isEqualTo("first");
    assertThat(store.settings().read("task_token_key", "second")).isEqualTo("first");
    assertThat(store.settings().read("other", "x")).isEqualTo("x");
  }

  @Test
  void next_due_at_is_the_earliest_due_time_of_a_waiting_push_task() {
    assertThat(store.pushClaims().nextDueAt(T0)).isEmpty();

    create(T0, aPushTask().runAt(T0.plusSeconds(30)).build());
    create(T0, aPushTask().runAt(T0.plusSeconds(10)).build());
    create(T0, aPushTask().runAt(T0.plusSeconds(20)).build());
    assertThat(store.pushClaims().nextDueAt(T0)).contains(T0.plusSeconds(10));

    claimOne(NODE_A, T0.plusSeconds(10));
    assertThat(store.pushClaims().nextDueAt(T0)).as("a running task is not waiting").contains(T0.plusSeconds(20));
  }

  @Test
  void is_reachable_while_open() {
    assertThat(store.isReachable()).isTrue();
  }

  // ---- events ---------------------------------------------------------------------------------

  List<TaskEvent> events(EventQuery query) {
    return store.events().events(query);
  }

  static EventQuery allAfter(long id) {
    return new EventQuery(id, Long.MAX_VALUE, null, null, 1_000, true);
  }

  @Test
  void events_record_a_task_life_in_commit_order_with_the_task() {
    TaskId id = create(T0, aPushTask().queue("ev").build());
    store.completion().finish(List.of(retrying(claimOne(NODE_A, T0), T0.plusSeconds(1), T0.plusSeconds(2))));
    Task second = claimOne(NODE_A, T0.plusSeconds(2));
    store.actions().updateProgress(id, "{\"step\":1}", T0.plusSeconds(3));
    store.completion().finish(List.of(succeeded(second, T0.plusSeconds(4))));

    List<TaskEvent> events = events(new EventQuery(0, Long.MAX_VALUE, id, null, 100, true));

    assertThat(events).extracting(e -> e.type().wire(), TaskEvent::attempt, TaskEvent::outcome).containsExactly(
        tuple("task.created", 0, null), tuple("attempt.started", 1, null),
        tuple("attempt.finished", 1, AttemptOutcome.HTTP_ERROR), tuple("attempt.started", 2, null),
        tuple("task.progress", 2, null), tuple("attempt.finished", 2, AttemptOutcome.SUCCEEDED),
        tuple("task.succeeded", 2, null));
    assertThat(events).extracting(TaskEvent::id).isSorted().doesNotHaveDuplicates();
    assertThat(events).allSatisfy(e -> {
      assertThat(e.queue()).isEqualTo("ev");
      assertThat(e.task().status()).isEqualTo(TaskStatus.SUCCEEDED);
    });
    assertThat(events.getFirst().at()).isEqualTo(T0);
  }

  @Test
  void events_follow_an_id_and_filter_by_queue_and_task() {
    TaskId a = create(T0, aPushTask().queue("a").build());
    TaskId b = create(T0, aPushTask().queue("b").build());
    long afterA = events(allAfter(0)).getFirst().id();

    assertThat(events(allAfter(afterA))).extracting(TaskEvent::taskId).containsExactly(b);
    assertThat(events(new EventQuery(0, Long.MAX_VALUE, null, "a", 10, false)))
        .extracting(TaskEvent::taskId, TaskEvent::task).containsExactly(tuple(a, null));
    assertThat(events(new EventQuery(0, afterA, null, null, 10, false))).extracting(TaskEvent::taskId).containsExactly(a);
    assertThat(store.events().lastEventId()).isEqualTo(events(allAfter(0)).getLast().id());
  }

  @Test
  void a_replayed_create_and_a_finish_that_lost_its_task_record_no_event() {
    TaskId id = create(T0, aKeyedTask("k", "h").build());
    createBatch(T0, aKeyedTask("k", "h").build());
    Task claimed = claimOne(NODE_A, T0);
    store.actions().cancel(id, T0.plusSeconds(1));
    store.completion().finish(List.of(succeeded(claimed, T0.plusSeconds(2))));

    assertThat(events(allAfter(0))).extracting(e -> e.type().wire())
        .containsExactly("task.created", "attempt.started", "task.cancelled");
  }

  @Test
  void pruning_keeps_the_newest_events_and_those_within_the_retention() {
    for (int i = 0; i < 5; i++) create(T0.plusSeconds(i), aPushTask().build());
    List<Long> ids = events(allAfter(0)).stream().map(TaskEvent::id).toList();

    assertThat(store.events().pruneEvents(T0.plusSeconds(1), 1_000)).isEqualTo(1);
    assertThat(store.events().pruneEvents(T0, 2)).isEqualTo(2);
    assertThat(events(allAfter(0))).extracting(TaskEvent::id).containsExactlyElementsOf(ids.subList(3, 5));
  }

  @Test
  void pruning_schedule_runs_forgets_only_the_slots_before_the_cutoff() {
    ScheduleStore schedules = store.schedules();
    Schedule schedule = schedules.upsert(ScheduleDefinition.of("minutely", "@every 1m", ZoneOffset.UTC, CronTickTest.TEMPLATE), T0)
        .schedule();
    Instant first = schedule.nextRunAt();
    Instant second = first.plusSeconds(60);
    assertThat(schedules.fire(schedule, first, second, first)).isInstanceOf(FireResult.Fired.class);
    assertThat(schedules.fire(schedules.find("minutely").orElseThrow(), second, second.plusSeconds(60), second))
        .isInstanceOf(FireResult.Fired.class);

    assertThat(schedules.pruneRuns(second)).isEqualTo(1);
    assertThat(schedules.pruneRuns(second)).isZero();
    assertThat(schedules.pruneRuns(second.plusMillis(1))).isEqualTo(1);
    assertThat(schedules.find("minutely").orElseThrow().lastTaskId()).as("the schedule itself is untouched").isNotNull();
  }

  @Test
  void queue_depths_count_active_tasks_and_the_oldest_ready_one() {
    create(T0, aPushTask().queue("d").build());
    claimOne(NODE_A, T0);
    create(T0.plusSeconds(1), aPushTask().queue("d").build());
    create(T0, aPushTask().queue("d").runAt(T0.plusSeconds(60)).build());

    assertThat(store.queues().queueDepths(T0.plusSeconds(1))).containsExactlyInAnyOrder(
        new QueueDepth("d", TaskStatus.QUEUED, 1, T0.plusSeconds(1)),
        new QueueDepth("d", TaskStatus.RUNNING, 1, null),
        new QueueDepth("d", TaskStatus.SCHEDULED, 1, null));
  }
}
