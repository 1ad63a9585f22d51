package dev.offload.store;

import static dev.offload.task.TestTasks.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.offload.task.ActionResult;
import dev.offload.task.Attempt;
import dev.offload.task.AttemptOutcome;
import dev.offload.task.FinishedAttempt;
import dev.offload.task.NewTask;
import dev.offload.task.Task;
import dev.offload.task.TaskBatch;
import dev.offload.task.TaskId;
import dev.offload.task.TaskStatus;
import dev.offload.task.Transition;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The long-work columns of the store (state, continuations, awaits, callbacks) on each dialect. */
abstract class ContinuationContract extends StoreContract {
  private static final String NODE = "node-a";
  private static final Instant HOUR = T0.plus(Duration.ofHours(1));

  private TaskId create(NewTask task) {
    store.inserts().create(List.of(new TaskBatch(List.of(task))), T0, Duration.ofHours(24));
    return task.id();
  }

  private Task claim(Instant now) {
    List<Task> claimed = store.pushClaims().claimDue(NODE, now, 10, LEASE);
    assertThat(claimed).hasSize(1);
    return claimed.getFirst();
  }

  /** Records the claimed call as continued: next call at {@code dueAt} in {@code status}. */
  private List<TaskId> continueWith(
      Task claimed, Instant at, TaskStatus status, Instant dueAt, String state, boolean awaiting) {
    Attempt attempt =
        new Attempt(
            claimed.id(),
            claimed.attempts(),
            claimed.attemptStartedAt(),
            at,
            awaiting ? AttemptOutcome.AWAITING : AttemptOutcome.CONTINUED,
            200,
            null,
            state,
            NODE);
    return store
        .completion()
        .finish(
            List.of(
                new FinishedAttempt(
                    attempt,
                    NODE,
                    new Transition(
                        status, dueAt, null, null, new Transition.Next(state, awaiting)))));
  }

  @Test
  void a_continuation_stores_the_state_counts_the_call_and_gives_a_fresh_retry_budget() {
    TaskId id =
        create(
            NewTask.builder()
                .callbackUrl("https://target.example/import")
                .body("{\"file\":\"a.csv\"}")
                .retries(1)
                .maxContinuations(50)
                .build());
    Task first = claim(T0);

    assertThat(
            continueWith(
                first,
                T0.plusSeconds(1),
                TaskStatus.QUEUED,
                T0.plusSeconds(1),
                "{\"row\":500}",
                false))
        .containsExactly(id);

    Task continued = find(id);
    assertThat(continued.status()).isEqualTo(TaskStatus.QUEUED);
    assertThat(continued.leaseOwner()).isNull();
    assertThat(continued.maxAttempts()).as("attempts so far + 1 + retries").isEqualTo(3);
    assertThat(continued.continuation().count()).isEqualTo(1);
    assertThat(continued.continuation().max()).isEqualTo(50);
    assertThat(continued.continuation().state()).isEqualTo("{\"row\":500}");
    assertThat(continued.continuation().callbackForNextCall()).isNull();
    Task second = claim(T0.plusSeconds(1));
    assertThat(second.attempts()).isEqualTo(2);
    assertThat(second.continuation().state()).isEqualTo("{\"row\":500}");
  }

  @Test
  void a_sleep_is_scheduled_and_shows_when_it_ends() {
    TaskId id = create(NewTask.builder().callbackUrl("https://target.example/sleep").build());
    continueWith(claim(T0), T0, TaskStatus.SCHEDULED, HOUR, "{}", false);

    assertThat(find(id).status()).isEqualTo(TaskStatus.SCHEDULED);
    assertThat(find(id).continuation().waitingUntil()).isEqualTo(HOUR);
    assertThat(store.pushClaims().claimDue(NODE, HOUR.minusSeconds(1), 10, LEASE)).isEmpty();
    assertThat(claim(HOUR).id()).isEqualTo(id);
  }

  @Test
  void an_await_holds_no_lease_and_ends_with_timed_out_at_its_deadline() {
    TaskId id = create(NewTask.builder().callbackUrl("https://target.example/await").build());
    continueWith(claim(T0), T0, TaskStatus.WAITING, HOUR, "{\"job\":7}", true);

    Task waiting = find(id);
    assertThat(waiting.status()).isEqualTo(TaskStatus.WAITING);
    assertThat(waiting.leaseOwner()).isNull();
    assertThat(waiting.continuation().waitingUntil()).isEqualTo(HOUR);
    assertThat(store.pushClaims().claimDue(NODE, HOUR.minusSeconds(1), 10, LEASE)).isEmpty();
    Task afterDeadline = claim(HOUR);
    assertThat(afterDeadline.continuation().callbackForNextCall()).isEqualTo("{\"timedOut\":true}");
    assertThat(afterDeadline.continuation().state()).isEqualTo("{\"job\":7}");
  }

  @Test
  void a_callback_requeues_a_waiting_task_and_works_once() {
    TaskId id = create(NewTask.builder().callbackUrl("https://target.example/await").build());
    continueWith(claim(T0), T0, TaskStatus.WAITING, HOUR, "{}", true);
    Instant posted = T0.plusSeconds(30);

    ActionResult first = store.actions().postCallback(id, 0, "{\"body\":{\"ok\":true}}", posted);
    ActionResult again = store.actions().postCallback(id, 0, "{\"body\":{\"again\":true}}", posted);

    assertThat(first).isInstanceOf(ActionResult.Done.class);
    assertThat(((ActionResult.Done) first).task().status()).isEqualTo(TaskStatus.QUEUED);
    assertThat(again).isInstanceOf(ActionResult.WrongState.class);
    Task next = claim(posted);
    assertThat(next.continuation().callbackForNextCall()).isEqualTo("{\"body\":{\"ok\":true}}");
  }

  @Test
  void a_callback_posted_while_the_call_runs_is_kept_for_its_await() {
    TaskId id = create(NewTask.builder().callbackUrl("https://target.example/early").build());
    Task running = claim(T0);

    assertThat(store.actions().postCallback(id, 0, "{\"body\":1}", T0))
        .isInstanceOf(ActionResult.Done.class);
    assertThat(find(id).status()).isEqualTo(TaskStatus.RUNNING);
    continueWith(running, T0.plusSeconds(1), TaskStatus.WAITING, HOUR, "{}", true);

    assertThat(find(id).status())
        .as("no wait for a callback that came already")
        .isEqualTo(TaskStatus.QUEUED);
    assertThat(claim(T0.plusSeconds(1)).continuation().callbackForNextCall())
        .isEqualTo("{\"body\":1}");
  }

  @Test
  void a_callback_for_an_older_call_a_future_call_or_a_finished_task_is_refused() {
    TaskId id = create(NewTask.builder().callbackUrl("https://target.example/old").build());
    continueWith(claim(T0), T0, TaskStatus.QUEUED, T0, "{}", false);
    continueWith(claim(T0), T0, TaskStatus.WAITING, HOUR, "{}", true);

    assertThat(store.actions().postCallback(id, 0, "{}", T0))
        .isInstanceOf(ActionResult.WrongState.class);
    assertThat(store.actions().postCallback(id, 2, "{}", T0))
        .isInstanceOf(ActionResult.WrongState.class);
    assertThat(store.actions().cancel(id, T0)).isInstanceOf(ActionResult.Done.class);
    ActionResult afterCancel = store.actions().postCallback(id, 1, "{}", T0);
    assertThat(afterCancel).isInstanceOf(ActionResult.WrongState.class);
    assertThat(((ActionResult.WrongState) afterCancel).task().status())
        .isEqualTo(TaskStatus.CANCELLED);
    assertThat(store.actions().postCallback(TaskId.generate(), 0, "{}", T0))
        .isInstanceOf(ActionResult.NotFound.class);
  }

  @Test
  void a_continuation_from_a_lost_lease_does_not_apply() {
    TaskId id = create(NewTask.builder().callbackUrl("https://target.example/lost").build());
    Task claimed = claim(T0);
    store.actions().cancel(id, T0);

    assertThat(
            continueWith(
                claimed, T0.plusSeconds(1), TaskStatus.QUEUED, T0, "{\"lost\":true}", false))
        .isEmpty();
    assertThat(find(id).status()).isEqualTo(TaskStatus.CANCELLED);
    assertThat(find(id).continuation().state()).isNull();
  }
}
