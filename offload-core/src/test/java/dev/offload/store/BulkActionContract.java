package dev.offload.store;

import static dev.offload.task.TestTasks.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.offload.bulk.BulkAction;
import dev.offload.bulk.BulkBatch;
import dev.offload.bulk.BulkCancel;
import dev.offload.bulk.BulkFilter;
import dev.offload.bulk.BulkStart;
import dev.offload.bulk.BulkStatus;
import dev.offload.bulk.BulkVerb;
import dev.offload.task.NewTask;
import dev.offload.task.TaskId;
import dev.offload.task.TaskStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Bulk actions: one running action per verb and filter, leases so one node runs each, batches that
 * act as the single-task actions do and move the cursor in the same transaction, and the filter's
 * every field.
 */
abstract class BulkActionContract extends StoreContract {
  static final Duration BULK_LEASE = Duration.ofSeconds(60);

  static BulkFilter queue(String queue) {
    return new BulkFilter(queue, null, null, null, null, null, null, null);
  }

  static BulkFilter queueAndStatus(String queue, TaskStatus status) {
    return new BulkFilter(queue, status, null, null, null, null, null, null);
  }

  @Test
  void a_second_start_of_the_same_verb_and_filter_gives_the_running_one() {
    BulkStart first = store.bulk().start(BulkVerb.RETRY, queue("q"), T0);
    BulkStart again = store.bulk().start(BulkVerb.RETRY, queue("q"), T0.plusSeconds(1));
    BulkStart otherVerb = store.bulk().start(BulkVerb.DELETE, queue("q"), T0);
    BulkStart otherFilter = store.bulk().start(BulkVerb.RETRY, queue("r"), T0);

    assertThat(first).isInstanceOf(BulkStart.Started.class);
    assertThat(first.action().id()).startsWith("bulk_");
    assertThat(first.action().status()).isEqualTo(BulkStatus.RUNNING);
    assertThat(first.action().matched()).isNull();
    assertThat(again).isEqualTo(new BulkStart.AlreadyRunning(first.action()));
    assertThat(otherVerb).isInstanceOf(BulkStart.Started.class);
    assertThat(otherFilter).isInstanceOf(BulkStart.Started.class);
    assertThat(store.bulk().cancel(first.action().id(), T0.plusSeconds(2)))
        .isInstanceOf(BulkCancel.Cancelled.class);
    assertThat(store.bulk().start(BulkVerb.RETRY, queue("q"), T0.plusSeconds(3)))
        .isInstanceOf(BulkStart.Started.class);
  }

  @Test
  void the_count_applies_every_field_of_the_filter() {
    Instant t1 = T0.plusSeconds(10);
    TaskId failed =
        create(T0, aPushTask().queue("a").metadata("{\"tenant\":\"acme\",\"n\":1}").build());
    store.completion().finish(List.of(failed(claimOne(NODE_A, T0), T0)));
    create(t1, aPushTask().queue("a").metadata("{\"tenant\":\"umbrella\",\"n\":\"1\"}").build());
    create(t1, NewTask.builder().name("resize").body("{}").queue("b").build());
    create(t1, aPushTask().queue("b").scheduleName("nightly").build());

    assertThat(count(queue("a"))).isEqualTo(2);
    assertThat(count(queueAndStatus("a", TaskStatus.FAILED))).isEqualTo(1);
    assertThat(count(filter(f -> f.status = TaskStatus.QUEUED))).isEqualTo(3);
    assertThat(count(filter(f -> f.name = "resize"))).isEqualTo(1);
    assertThat(count(filter(f -> f.scheduleName = "nightly"))).isEqualTo(1);
    assertThat(count(filter(f -> f.createdAfter = T0))).isEqualTo(3);
    assertThat(count(filter(f -> f.createdBefore = t1))).isEqualTo(1);
    assertThat(count(filter(f -> f.lastErrorContains = "HTTP 5"))).isEqualTo(1);
    assertThat(count(filter(f -> f.lastErrorContains = "http 5"))).as("case-sensitive").isZero();
    assertThat(count(filter(f -> f.lastErrorContains = "%"))).as("no pattern").isZero();
    assertThat(count(filter(f -> f.metadata = Map.of("tenant", "acme")))).isEqualTo(1);
    assertThat(count(filter(f -> f.metadata = Map.of("n", "1"))))
        .as("only string values match")
        .isEqualTo(1);
    assertThat(count(filter(f -> f.metadata = Map.of("tenant", "acme", "n", "1")))).isZero();
    assertThat(count(filter(f -> f.metadata = Map.of("it's \"odd\"", "x")))).isZero();
  }

  @Test
  void one_node_runs_an_action_until_its_lease_expires() {
    BulkAction started = store.bulk().start(BulkVerb.RETRY, queue("q"), T0).action();

    BulkAction claimed = store.bulk().claim(NODE_A, T0, BULK_LEASE).orElseThrow();

    assertThat(claimed.id()).isEqualTo(started.id());
    assertThat(store.bulk().claim(NODE_B, T0.plusSeconds(59), BULK_LEASE)).isEmpty();
    assertThat(store.bulk().claim(NODE_B, T0.plusSeconds(61), BULK_LEASE)).isPresent();
    assertThat(store.bulk().counted(started.id(), NODE_A, 0, T0.plusSeconds(120))).isFalse();
  }

  @Test
  void batches_walk_the_matched_tasks_once_from_the_saved_cursor() {
    List<TaskId> failedTasks = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      failedTasks.add(create(T0, aPushTask().queue("q").build()));
      store.completion().finish(List.of(failed(claimOne(NODE_A, T0), T0)));
    }
    TaskId queued = create(T0, aPushTask().queue("q").build());
    BulkAction action = store.bulk().start(BulkVerb.RETRY, queue("q"), T0).action();
    TaskId later = create(T0, aPushTask().queue("q").build());
    BulkAction claimed = store.bulk().claim(NODE_A, T0, BULK_LEASE).orElseThrow();
    assertThat(store.bulk().count(claimed.filter(), claimed.uptoTaskId())).isEqualTo(6);
    assertThat(store.bulk().counted(action.id(), NODE_A, 6, T0.plusSeconds(60))).isTrue();

    List<TaskId> first = store.bulk().next(claimed, 4);
    BulkBatch batch = store.bulk().apply(claimed, NODE_A, first, false, T0, T0.plusSeconds(60));
    // node A dies here; node B takes the action over once the lease expired
    BulkAction resumed = store.bulk().claim(NODE_B, T0.plusSeconds(61), BULK_LEASE).orElseThrow();
    List<TaskId> rest = store.bulk().next(resumed, 4);
    BulkBatch last =
        store.bulk().apply(resumed, NODE_B, rest, true, T0.plusSeconds(61), T0.plusSeconds(120));

    assertThat(first).containsExactlyElementsOf(failedTasks.subList(0, 4));
    assertThat(rest).containsExactly(failedTasks.get(4), queued);
    assertThat(((BulkBatch.Applied) batch).acted()).hasSize(4);
    assertThat(((BulkBatch.Applied) last).finished()).isTrue();
    BulkAction done = store.bulk().find(action.id()).orElseThrow();
    assertThat(done.status()).isEqualTo(BulkStatus.SUCCEEDED);
    assertThat(done.matched()).isEqualTo(6);
    assertThat(done.done()).isEqualTo(5);
    assertThat(done.failed()).as("the queued task cannot be retried").isEqualTo(1);
    assertThat(done.finishedAt()).isEqualTo(T0.plusSeconds(61));
    failedTasks.forEach(id -> assertThat(find(id).status()).isEqualTo(TaskStatus.QUEUED));
    failedTasks.forEach(id -> assertThat(find(id).maxAttempts()).isEqualTo(1 + 3 + 1));
    assertThat(find(later).attempts()).isZero();
    assertThat(store.bulk().claim(NODE_A, T0.plusSeconds(200), BULK_LEASE)).isEmpty();
  }

  @Test
  void a_node_that_lost_the_lease_or_a_cancelled_action_changes_nothing() {
    TaskId task = create(T0, aPushTask().queue("q").build());
    BulkAction action = store.bulk().start(BulkVerb.CANCEL, queue("q"), T0).action();
    BulkAction claimed = store.bulk().claim(NODE_A, T0, BULK_LEASE).orElseThrow();
    store.bulk().claim(NODE_B, T0.plusSeconds(61), BULK_LEASE).orElseThrow();

    BulkBatch lost =
        store
            .bulk()
            .apply(claimed, NODE_A, List.of(task), true, T0.plusSeconds(62), T0.plusSeconds(90));
    BulkCancel cancelled = store.bulk().cancel(action.id(), T0.plusSeconds(63));
    BulkBatch afterCancel =
        store
            .bulk()
            .apply(claimed, NODE_B, List.of(task), true, T0.plusSeconds(64), T0.plusSeconds(90));

    assertThat(lost).isEqualTo(new BulkBatch.Stopped());
    assertThat(afterCancel).isEqualTo(new BulkBatch.Stopped());
    assertThat(cancelled).isInstanceOf(BulkCancel.Cancelled.class);
    assertThat(((BulkCancel.Cancelled) cancelled).action().finishedAt())
        .isEqualTo(T0.plusSeconds(63));
    assertThat(find(task).status()).isEqualTo(TaskStatus.QUEUED);
    assertThat(store.bulk().cancel(action.id(), T0.plusSeconds(65)))
        .isInstanceOf(BulkCancel.AlreadyFinished.class);
    assertThat(store.bulk().cancel("bulk_nothing", T0)).isEqualTo(new BulkCancel.NotFound());
  }

  @Test
  void cancel_and_delete_act_as_their_single_task_actions() {
    TaskId running = create(T0, aPushTask().queue("q").build());
    claimOne(NODE_A, T0);
    TaskId finished = create(T0, aPushTask().queue("f").build());
    store.completion().finish(List.of(failed(claimOne(NODE_A, T0), T0)));
    long eventsBefore = store.events().lastEventId();

    BulkBatch cancel = runWhole(BulkVerb.CANCEL, queue("q"), T0.plusSeconds(1));
    BulkBatch delete = runWhole(BulkVerb.DELETE, queue("f"), T0.plusSeconds(2));

    BulkBatch.Acted cancelled = ((BulkBatch.Applied) cancel).acted().getFirst();
    assertThat(cancelled.before().status()).isEqualTo(TaskStatus.RUNNING);
    assertThat(cancelled.after().status()).isEqualTo(TaskStatus.CANCELLED);
    assertThat(find(running).leaseOwner()).isNull();
    assertThat(store.events().lastEventId())
        .as("a task.cancelled event")
        .isGreaterThan(eventsBefore);
    assertThat(((BulkBatch.Applied) delete).acted())
        .extracting(a -> a.after().id())
        .containsExactly(finished);
    assertThat(store.tasks().find(finished)).isEmpty();
    assertThat(store.tasks().attempts(finished)).isEmpty();
  }

  @Test
  void finished_actions_are_forgotten_after_their_time_and_running_ones_never() {
    BulkAction old = store.bulk().start(BulkVerb.RETRY, queue("a"), T0).action();
    store.bulk().cancel(old.id(), T0);
    BulkAction running = store.bulk().start(BulkVerb.RETRY, queue("b"), T0).action();
    BulkAction recent = store.bulk().start(BulkVerb.RETRY, queue("c"), T0).action();
    store.bulk().cancel(recent.id(), T0.plusSeconds(10));

    assertThat(store.bulk().forgetFinished(T0.plusSeconds(5))).isEqualTo(1);

    assertThat(store.bulk().list(10))
        .extracting(BulkAction::id)
        .containsExactly(recent.id(), running.id());
  }

  @Test
  void a_restart_of_a_single_node_lets_go_of_every_lease() {
    BulkAction action = store.bulk().start(BulkVerb.RETRY, queue("q"), T0).action();
    store.bulk().claim(NODE_A, T0, BULK_LEASE).orElseThrow();

    assertThat(store.bulk().releaseLeases()).isEqualTo(1);

    assertThat(store.bulk().claim(NODE_B, T0.plusSeconds(1), BULK_LEASE))
        .get()
        .extracting(BulkAction::id)
        .isEqualTo(action.id());
  }

  private BulkBatch runWhole(BulkVerb verb, BulkFilter filter, Instant now) {
    store.bulk().start(verb, filter, now);
    BulkAction claimed = store.bulk().claim(NODE_A, now, BULK_LEASE).orElseThrow();
    return store
        .bulk()
        .apply(claimed, NODE_A, store.bulk().next(claimed, 100), true, now, now.plusSeconds(60));
  }

  private long count(BulkFilter filter) {
    return store.bulk().count(filter, null);
  }

  /** A filter with the fields {@code set} sets. */
  private static BulkFilter filter(Consumer<Fields> set) {
    Fields f = new Fields();
    set.accept(f);
    return new BulkFilter(
        f.queue,
        f.status,
        f.name,
        f.scheduleName,
        f.createdAfter,
        f.createdBefore,
        f.lastErrorContains,
        f.metadata == null ? null : new TreeMap<>(f.metadata));
  }

  private static final class Fields {
    String queue;
    TaskStatus status;
    String name;
    String scheduleName;
    Instant createdAfter;
    Instant createdBefore;
    String lastErrorContains;
    Map<String, String> metadata;
  }
}
