package dev.offload.store;

import static dev.offload.task.TestTasks.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.offload.cluster.NodeInfo;
import dev.offload.event.EventQuery;
import dev.offload.queue.QueueSettings;
import dev.offload.task.ActionResult;
import dev.offload.task.CreateResult;
import dev.offload.task.CreateResult.Created;
import dev.offload.task.NewTask;
import dev.offload.task.Retention;
import dev.offload.task.Task;
import dev.offload.task.TaskBatch;
import dev.offload.task.TaskId;
import dev.offload.task.TaskStatus;
import dev.offload.task.WebhookResult;
import dev.offload.task.WebhookState;
import dev.offload.testing.SettableClock;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Retention on each dialect: when a finished task may be deleted (its own retention, its queue's,
 * the server's, forever), that purging deletes it with its attempts, events and idempotency key,
 * and that nothing unfinished is ever deleted. The store runs with defaults of 1 h for succeeded
 * and 2 h for failed or cancelled tasks; a settable clock gives the instants.
 */
abstract class RetentionContract extends StoreContract {
  static final RetentionDefaults DEFAULTS =
      new RetentionDefaults(Retention.of(Duration.ofHours(1)), Retention.of(Duration.ofHours(2)));
  static final Instant FAR_FUTURE = T0.plus(Duration.ofDays(10_000));

  final SettableClock clock = new SettableClock(T0);

  @Override
  RetentionDefaults retention() {
    return DEFAULTS;
  }

  private TaskId create(NewTask task) {
    CreateResult result =
        store.inserts().create(List.of(TaskBatch.of(task)), clock.instant(), KEY_TTL).getFirst();
    return ((Created) result).tasks().getFirst().id();
  }

  private Task claim(TaskId id) {
    List<Task> claimed = store.pushClaims().claimDue("node-a", clock.instant(), 100, LEASE);
    return claimed.stream().filter(t -> t.id().equals(id)).findFirst().orElseThrow();
  }

  /** A task of {@code task} that succeeded at the clock's time. */
  private TaskId succeededTask(NewTask task) {
    TaskId id = create(task);
    assertThat(store.completion().finish(List.of(succeeded(claim(id), clock.instant()))))
        .containsExactly(id);
    return id;
  }

  private TaskId failedTask(NewTask task) {
    TaskId id = create(task);
    assertThat(store.completion().finish(List.of(failed(claim(id), clock.instant()))))
        .containsExactly(id);
    return id;
  }

  private int purgeAll(Instant now) {
    return store.purges().purgeFinished(0, now, 1_000).tasks();
  }

  private boolean hasEvents(TaskId id) {
    return !store
        .events()
        .events(new EventQuery(0, Long.MAX_VALUE, id, null, 100, false))
        .isEmpty();
  }

  @Test
  void a_succeeded_task_goes_with_its_attempts_and_events_exactly_when_its_retention_has_passed() {
    TaskId id = succeededTask(aPushTask().build());
    Instant finishedAt = clock.instant();
    Instant purgeAt = finishedAt.plus(Duration.ofHours(1));
    assertThat(find(id).purgeAt()).isEqualTo(purgeAt);
    assertThat(store.tasks().attempts(id)).hasSize(1);
    assertThat(hasEvents(id)).isTrue();

    assertThat(purgeAll(purgeAt.minusMillis(1))).isZero();
    assertThat(store.tasks().find(id)).isPresent();

    assertThat(purgeAll(purgeAt)).isEqualTo(1);
    assertThat(store.tasks().find(id)).isEmpty();
    assertThat(store.tasks().attempts(id)).isEmpty();
    assertThat(hasEvents(id)).isFalse();
  }

  @Test
  void failed_and_cancelled_tasks_are_kept_for_the_failed_retention() {
    TaskId failed = failedTask(aPushTask().build());
    assertThat(find(failed).purgeAt()).isEqualTo(T0.plus(Duration.ofHours(2)));

    clock.tick(Duration.ofMinutes(5));
    TaskId cancelled = create(aPushTask().build());
    assertThat(store.actions().cancel(cancelled, clock.instant()))
        .isInstanceOf(ActionResult.Done.class);
    assertThat(find(cancelled).purgeAt()).isEqualTo(clock.instant().plus(Duration.ofHours(2)));

    assertThat(purgeAll(T0.plus(Duration.ofHours(2)))).isEqualTo(1);
    assertThat(store.tasks().find(failed)).isEmpty();
    assertThat(store.tasks().find(cancelled)).isPresent();
  }

  @Test
  void a_queue_retention_replaces_the_server_default_for_its_outcome() {
    store
        .queues()
        .put(
            "reports",
            new QueueSettings(
                null, null, null, false, Retention.of(Duration.ofMinutes(10)), Retention.FOREVER),
            T0);

    TaskId ok = succeededTask(aPushTask().queue("reports").build());
    TaskId bad = failedTask(aPushTask().queue("reports").build());
    TaskId elsewhere = succeededTask(aPushTask().queue("other").build());

    assertThat(find(ok).purgeAt()).isEqualTo(T0.plus(Duration.ofMinutes(10)));
    assertThat(find(bad).purgeAt()).isNull();
    assertThat(find(elsewhere).purgeAt()).isEqualTo(T0.plus(Duration.ofHours(1)));
    assertThat(purgeAll(FAR_FUTURE)).isEqualTo(2);
    assertThat(store.tasks().find(bad)).isPresent();
    assertThat(store.queues().find("reports", T0).orElseThrow().settings().retainFailed())
        .isEqualTo(Retention.FOREVER);
  }

  @Test
  void a_task_retention_replaces_its_queue_and_the_server_default() {
    store
        .queues()
        .put(
            "reports",
            new QueueSettings(
                null,
                null,
                null,
                false,
                Retention.of(Duration.ofMinutes(10)),
                Retention.of(Duration.ofMinutes(10))),
            T0);

    TaskId shorter =
        succeededTask(
            aPushTask().queue("reports").retention(Retention.of(Duration.ofMinutes(3))).build());
    TaskId forever = failedTask(aPushTask().queue("reports").retention(Retention.FOREVER).build());
    TaskId longer =
        succeededTask(aPushTask().retention(Retention.of(Duration.ofDays(400))).build());

    assertThat(find(shorter).retention()).isEqualTo(Retention.of(Duration.ofMinutes(3)));
    assertThat(find(shorter).purgeAt()).isEqualTo(T0.plus(Duration.ofMinutes(3)));
    assertThat(find(forever).retention()).isEqualTo(Retention.FOREVER);
    assertThat(find(forever).purgeAt()).isNull();
    assertThat(find(longer).purgeAt()).isEqualTo(T0.plus(Duration.ofDays(400)));

    assertThat(purgeAll(T0.plus(Duration.ofDays(399)))).isEqualTo(1);
    assertThat(purgeAll(FAR_FUTURE)).isEqualTo(1);
    assertThat(store.tasks().find(forever)).isPresent();
  }

  @Test
  void server_defaults_of_forever_keep_every_finished_task() throws Exception {
    store.close();
    store = database.open(new RetentionDefaults(Retention.FOREVER, Retention.FOREVER));

    TaskId ok = succeededTask(aPushTask().build());
    TaskId bad = failedTask(aPushTask().build());

    assertThat(find(ok).purgeAt()).isNull();
    assertThat(find(bad).purgeAt()).isNull();
    assertThat(purgeAll(FAR_FUTURE)).isZero();
  }

  @Test
  void unfinished_tasks_are_never_purged_or_deleted() {
    TaskId running = create(aPushTask().build());
    TaskId retrying = create(aPushTask().build());
    Task toRetry = claim(retrying);
    store.completion().finish(List.of(retrying(toRetry, T0, T0.plus(Duration.ofDays(1)))));
    TaskId queued = create(aPushTask().retention(Retention.of(Duration.ofMinutes(1))).build());
    TaskId scheduled = create(aPushTask().runAt(T0.plus(Duration.ofDays(1))).build());

    assertThat(purgeAll(FAR_FUTURE)).isZero();

    for (TaskId id : List.of(queued, scheduled, running, retrying)) {
      assertThat(find(id).purgeAt()).isNull();
      assertThat(store.actions().delete(id)).isInstanceOf(ActionResult.WrongState.class);
      assertThat(store.tasks().find(id)).isPresent();
    }
    assertThat(List.of(queued, scheduled, running, retrying))
        .extracting(id -> find(id).status())
        .containsExactly(
            TaskStatus.QUEUED, TaskStatus.SCHEDULED, TaskStatus.RUNNING, TaskStatus.RETRYING);
  }

  @Test
  void a_retried_task_loses_its_purge_time_and_gets_a_new_one_when_it_finishes_again() {
    TaskId id = failedTask(aPushTask().build());
    clock.tick(Duration.ofMinutes(30));

    assertThat(store.actions().retry(id, clock.instant())).isInstanceOf(ActionResult.Done.class);
    assertThat(find(id).purgeAt()).isNull();
    assertThat(purgeAll(FAR_FUTURE)).isZero();

    clock.tick(Duration.ofMinutes(30));
    assertThat(store.completion().finish(List.of(succeeded(claim(id), clock.instant()))))
        .containsExactly(id);
    assertThat(find(id).purgeAt()).isEqualTo(clock.instant().plus(Duration.ofHours(1)));
  }

  @Test
  void the_idempotency_key_goes_with_its_task() {
    TaskId first = succeededTask(aKeyedTask("order-7", "hash-1").build());
    assertThat(purgeAll(FAR_FUTURE)).isEqualTo(1);

    CreateResult again =
        store
            .inserts()
            .create(
                List.of(TaskBatch.of(aKeyedTask("order-7", "hash-2").build())),
                clock.instant(),
                KEY_TTL)
            .getFirst();

    assertThat(again).isInstanceOf(Created.class);
    Created created = (Created) again;
    assertThat(created.tasks().getFirst().replayed()).isFalse();
    assertThat(created.tasks().getFirst().id()).isNotEqualTo(first);
  }

  @Test
  void a_key_that_another_task_holds_by_now_stays_when_the_old_task_goes() throws Exception {
    TaskId old = create(aKeyedTask("order-8", "hash-1").build());
    TaskId holder = create(aPushTask().build());
    database.execute(
        "UPDATE idempotency_keys SET task_id = '" + holder + "' WHERE idem_key = 'order-8'");
    store.completion().finish(List.of(succeeded(claim(old), clock.instant())));

    assertThat(store.actions().delete(old)).isInstanceOf(ActionResult.Done.class);

    CreateResult replay =
        store
            .inserts()
            .create(
                List.of(TaskBatch.of(aKeyedTask("order-8", "hash-2").build())),
                clock.instant(),
                KEY_TTL)
            .getFirst();
    assertThat(replay).isInstanceOf(CreateResult.KeyConflict.class);
  }

  @Test
  void purging_goes_in_batches_oldest_purge_time_first() {
    TaskId first = succeededTask(aPushTask().build());
    clock.tick(Duration.ofMinutes(1));
    TaskId second = succeededTask(aPushTask().build());
    clock.tick(Duration.ofMinutes(1));
    TaskId third = succeededTask(aPushTask().build());

    PurgedBatch batch = store.purges().purgeFinished(0, FAR_FUTURE, 2);
    Instant thirdPurgeAt = store.tasks().find(third).orElseThrow().purgeAt();
    assertThat(batch.tasks()).isEqualTo(2);
    assertThat(batch.upTo())
        .as("the second's purge time")
        .isEqualTo(thirdPurgeAt.minusSeconds(60).toEpochMilli());
    assertThat(store.tasks().find(first)).isEmpty();
    assertThat(store.tasks().find(second)).isEmpty();
    assertThat(store.tasks().find(third)).isPresent();
    assertThat(store.purges().purgeFinished(thirdPurgeAt.toEpochMilli() + 1, FAR_FUTURE, 2))
        .as("a batch looks from its from on")
        .isEqualTo(new PurgedBatch(0, thirdPurgeAt.toEpochMilli() + 1));
    assertThat(store.purges().purgeFinished(batch.upTo(), FAR_FUTURE, 2))
        .isEqualTo(new PurgedBatch(1, thirdPurgeAt.toEpochMilli()));
    assertThat(store.purges().purgeFinished(0, FAR_FUTURE, 2).tasks()).isZero();
  }

  @Test
  void a_task_whose_webhook_waits_to_go_out_is_kept_until_it_is_delivered() {
    TaskId id =
        succeededTask(aPushTask().webhookUrl(URI.create("https://app.example/on-done")).build());

    assertThat(purgeAll(FAR_FUTURE)).isZero();

    store
        .webhooks()
        .recordWebhook(new WebhookResult(id, WebhookState.Delivery.DELIVERED, 1, null, null));
    assertThat(purgeAll(FAR_FUTURE)).isEqualTo(1);
  }

  @Test
  void delete_removes_a_finished_task_with_its_attempts_and_events_and_knows_no_unknown_task() {
    TaskId id = failedTask(aPushTask().retention(Retention.FOREVER).build());

    assertThat(store.actions().delete(id)).isInstanceOf(ActionResult.Done.class);

    assertThat(store.tasks().find(id)).isEmpty();
    assertThat(store.tasks().attempts(id)).isEmpty();
    assertThat(hasEvents(id)).isFalse();
    assertThat(store.actions().delete(id)).isInstanceOf(ActionResult.NotFound.class);
  }

  @Test
  void tasks_finished_before_retention_existed_get_a_purge_time_under_the_current_settings()
      throws Exception {
    TaskId ok = succeededTask(aPushTask().build());
    TaskId bad = failedTask(aPushTask().retention(Retention.FOREVER).build());
    database.execute("UPDATE tasks SET purge_at = -1");
    assertThat(purgeAll(FAR_FUTURE)).isZero();

    assertThat(store.purges().settlePurgeTimes(1)).isEqualTo(1);
    assertThat(store.purges().settlePurgeTimes(10)).isEqualTo(1);
    assertThat(store.purges().settlePurgeTimes(10)).isZero();

    assertThat(find(ok).purgeAt()).isEqualTo(T0.plus(Duration.ofHours(1)));
    assertThat(find(bad).purgeAt()).isNull();
  }

  @Test
  void nodes_silent_for_longer_than_asked_are_forgotten() {
    store.nodes().heartbeat(new NodeInfo("old", "h", "1", T0, T0, null));
    store.nodes().heartbeat(new NodeInfo("new", "h", "1", T0, T0.plus(Duration.ofDays(2)), null));

    assertThat(store.purges().forgetNodes(T0.plus(Duration.ofDays(1)))).isEqualTo(1);

    assertThat(store.nodes().since(Instant.EPOCH)).extracting(NodeInfo::id).containsExactly("new");
  }
}
