package dev.offload.store;

import static dev.offload.task.TestTasks.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.offload.task.ActionResult;
import dev.offload.task.Task;
import dev.offload.task.TaskId;
import dev.offload.task.TaskStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What users do to one task: cancel, retry and report progress, each only in the states where it
 * applies.
 */
abstract class TaskActionContract extends StoreContract {
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
  void cancel_of_a_scheduled_or_retrying_task_is_done() {
    TaskId scheduled = create(T0, aPushTask().runAt(T0.plusSeconds(60)).build());
    TaskId retried = create(T0, aPushTask().build());
    store
        .completion()
        .finish(List.of(retrying(claimOne(NODE_A, T0), T0.plusSeconds(1), T0.plusSeconds(10))));

    assertThat(store.actions().cancel(scheduled, T0.plusSeconds(2)))
        .isInstanceOf(ActionResult.Done.class);
    assertThat(store.actions().cancel(retried, T0.plusSeconds(2)))
        .isInstanceOf(ActionResult.Done.class);
    assertThat(store.pushClaims().claimDue(NODE_A, T0.plus(Duration.ofDays(1)), 10, LEASE))
        .isEmpty();
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
    assertThat(store.actions().cancel(TaskId.generate(), T0))
        .isEqualTo(new ActionResult.NotFound());
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
    store
        .completion()
        .finish(
            List.of(
                succeeded(
                    store.pushClaims().claimDue(NODE_A, T0, 10, LEASE).stream()
                        .filter(t -> t.id().equals(done))
                        .findFirst()
                        .orElseThrow(),
                    T0.plusSeconds(1))));

    assertThat(store.actions().retry(done, T0.plusSeconds(2)))
        .isInstanceOf(ActionResult.WrongState.class);
    assertThat(store.actions().retry(queued, T0.plusSeconds(2)))
        .isInstanceOf(ActionResult.WrongState.class);
    assertThat(store.actions().retry(TaskId.generate(), T0)).isEqualTo(new ActionResult.NotFound());
  }

  @Test
  void progress_is_kept_on_active_tasks_only() {
    TaskId id = create(T0, aPushTask().build());
    Task claimed = claimOne(NODE_A, T0);

    assertThat(store.actions().updateProgress(id, "{\"percent\":40}", T0))
        .isInstanceOf(ActionResult.Done.class);
    assertThat(find(id).progress()).isEqualTo("{\"percent\":40}");

    store.completion().finish(List.of(succeeded(claimed, T0.plusSeconds(1))));
    assertThat(store.actions().updateProgress(id, "{\"percent\":99}", T0))
        .isInstanceOf(ActionResult.WrongState.class);
    assertThat(find(id).progress()).isEqualTo("{\"percent\":40}");
    assertThat(store.actions().updateProgress(TaskId.generate(), "{}", T0))
        .isEqualTo(new ActionResult.NotFound());
  }
}
