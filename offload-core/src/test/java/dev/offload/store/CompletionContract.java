package dev.offload.store;

import static dev.offload.task.TestTasks.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.offload.task.Attempt;
import dev.offload.task.AttemptOutcome;
import dev.offload.task.FinishedAttempt;
import dev.offload.task.Task;
import dev.offload.task.TaskId;
import dev.offload.task.TaskStatus;
import dev.offload.task.Transition;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Finishing attempts: a transition applies only to the attempt that runs under its lease; the
 * attempt is recorded either way.
 */
abstract class CompletionContract extends StoreContract {
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
    assertThat(store.pushClaims().claimDue(NODE_A, T0.plus(Duration.ofDays(1)), 10, LEASE))
        .isEmpty();
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

    List<TaskId> applied =
        store
            .completion()
            .finish(claimed.stream().map(t -> succeeded(t, T0.plusSeconds(1))).toList());

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
    store
        .completion()
        .finish(
            List.of(
                finished(
                    first,
                    T0.plusSeconds(61),
                    AttemptOutcome.LEASE_EXPIRED,
                    null,
                    "lease expired",
                    new Transition(
                        TaskStatus.RETRYING, T0.plusSeconds(62), null, "lease expired"))));
    Task second = claimOne(NODE_A, T0.plusSeconds(62));
    FinishedAttempt staleSuccess = succeeded(first, T0.plusSeconds(63));

    assertThat(store.completion().finish(List.of(staleSuccess))).isEmpty();

    Task task = find(id);
    assertThat(task.status()).isEqualTo(TaskStatus.RUNNING);
    assertThat(task.attempts()).isEqualTo(2);
    assertThat(task.attemptStartedAt()).isEqualTo(second.attemptStartedAt());
    assertThat(store.tasks().attempts(id))
        .extracting(Attempt::number, Attempt::outcome)
        .as("the first record of attempt 1 is kept")
        .containsExactly(tuple(1, AttemptOutcome.LEASE_EXPIRED));
  }

  @Test
  void a_reaper_does_not_take_back_a_lease_its_owner_renewed_meanwhile() {
    TaskId id = create(T0, aPushTask().build());
    Task claimed = claimOne(NODE_A, T0);
    Instant reapAt = T0.plus(LEASE).plusSeconds(1);
    Task expired = store.pushClaims().expiredLeases(reapAt, 10).getFirst();
    store.pushClaims().renewLeases(NODE_A, reapAt.plus(LEASE));
    Attempt lost =
        new Attempt(
            id,
            expired.attempts(),
            T0,
            reapAt,
            AttemptOutcome.LEASE_EXPIRED,
            null,
            "lease expired",
            null,
            NODE_A);

    List<TaskId> applied =
        store
            .completion()
            .finish(
                List.of(
                    new FinishedAttempt(
                        lost,
                        NODE_A,
                        new Transition(TaskStatus.RETRYING, reapAt, null, "lease expired"),
                        reapAt,
                        expired.queue())));

    assertThat(applied).isEmpty();
    assertThat(find(id).status()).isEqualTo(TaskStatus.RUNNING);
    assertThat(store.completion().finish(List.of(succeeded(claimed, reapAt.plusSeconds(1)))))
        .containsExactly(id);
  }
}
