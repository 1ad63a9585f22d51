package dev.offload.dispatch;

import static dev.offload.task.TestTasks.T0;
import static dev.offload.task.TestTasks.aRunningTask;
import static org.assertj.core.api.Assertions.assertThat;

import dev.offload.task.AttemptOutcome;
import dev.offload.task.Backoff;
import dev.offload.task.Task;
import dev.offload.task.TaskResult;
import dev.offload.task.TaskStatus;
import dev.offload.task.Transition;
import java.time.Duration;
import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;

class OutcomeTransitionTest {
  private static final Instant NOW = T0.plusSeconds(30);
  private static final TaskResult OK =
      new TaskResult(200, "application/json", "{\"done\":true}", true, false);
  private static final TaskResult UNAVAILABLE =
      new TaskResult(503, "text/plain", "try later", false, false);
  private static final TaskResult NOT_FOUND =
      new TaskResult(404, "text/plain", "no such thing", false, false);

  private static Outcome.Retryable unavailable(Duration retryAfter) {
    return new Outcome.Retryable(AttemptOutcome.HTTP_ERROR, UNAVAILABLE, "HTTP 503", retryAfter);
  }

  private static Transition after(Task task, Outcome outcome) {
    return outcome.transition(task, NOW, new Random(1));
  }

  @Test
  void a_success_succeeds_with_the_response_as_result() {
    Transition transition = after(aRunningTask().build(), new Outcome.Succeeded(OK));

    assertThat(transition).isEqualTo(new Transition(TaskStatus.SUCCEEDED, null, OK, null));
  }

  @Test
  void a_retryable_failure_with_attempts_left_retries_after_the_backoff_delay() {
    Task firstOfFour = aRunningTask().atAttempt(1, 3).build();

    Transition transition = after(firstOfFour, unavailable(null));

    assertThat(transition)
        .isEqualTo(
            new Transition(TaskStatus.RETRYING, NOW.plusSeconds(1), UNAVAILABLE, "HTTP 503"));
  }

  @Test
  void each_retry_waits_the_backoff_delay_for_its_retry_number() {
    assertThat(after(aRunningTask().atAttempt(2, 3).build(), unavailable(null)).dueAt())
        .isEqualTo(NOW.plusSeconds(2));
    assertThat(after(aRunningTask().atAttempt(3, 3).build(), unavailable(null)).dueAt())
        .isEqualTo(NOW.plusSeconds(4));
  }

  @Test
  void a_linear_backoff_grows_by_initial_per_retry() {
    Backoff linear =
        new Backoff(Backoff.Type.LINEAR, Duration.ofSeconds(10), Duration.ofHours(1), 2.0, false);
    Task thirdOfSix = aRunningTask().atAttempt(3, 5).withBackoff(linear).build();

    assertThat(after(thirdOfSix, unavailable(null)).dueAt()).isEqualTo(NOW.plusSeconds(30));
  }

  @Test
  void a_jittered_delay_falls_between_half_and_full_delay() {
    Backoff jittered =
        new Backoff(
            Backoff.Type.EXPONENTIAL, Duration.ofSeconds(8), Duration.ofHours(1), 2.0, true);
    Task task = aRunningTask().atAttempt(1, 3).withBackoff(jittered).build();
    Random random = new Random(99);

    for (int i = 0; i < 200; i++) {
      Instant dueAt = unavailable(null).transition(task, NOW, random).dueAt();
      assertThat(dueAt).isBetween(NOW.plusSeconds(4), NOW.plusSeconds(8));
    }
  }

  @Test
  void a_retryable_failure_on_the_last_attempt_fails_the_task() {
    Task lastOfFour = aRunningTask().atAttempt(4, 3).build();

    Transition transition = after(lastOfFour, unavailable(null));

    assertThat(transition)
        .isEqualTo(new Transition(TaskStatus.FAILED, null, UNAVAILABLE, "HTTP 503"));
  }

  @Test
  void a_task_without_retries_fails_on_its_first_retryable_failure() {
    Task onlyAttempt = aRunningTask().atAttempt(1, 0).build();
    Outcome timeout =
        new Outcome.Retryable(AttemptOutcome.TIMEOUT, null, "attempt timed out after 1000ms", null);

    Transition transition = after(onlyAttempt, timeout);

    assertThat(transition)
        .isEqualTo(new Transition(TaskStatus.FAILED, null, null, "attempt timed out after 1000ms"));
  }

  @Test
  void retry_after_replaces_the_backoff_delay() {
    Task firstOfFour = aRunningTask().atAttempt(1, 3).build();

    assertThat(after(firstOfFour, unavailable(Duration.ofSeconds(45))).dueAt())
        .isEqualTo(NOW.plusSeconds(45));
    assertThat(after(firstOfFour, unavailable(Duration.ZERO)).dueAt()).isEqualTo(NOW);
  }

  @Test
  void retry_after_is_capped_at_the_backoff_max() {
    Backoff upToOneMinute =
        new Backoff(
            Backoff.Type.EXPONENTIAL, Duration.ofSeconds(1), Duration.ofMinutes(1), 2.0, false);
    Task firstOfFour = aRunningTask().atAttempt(1, 3).withBackoff(upToOneMinute).build();

    Transition transition = after(firstOfFour, unavailable(Duration.ofHours(2)));

    assertThat(transition.status()).isEqualTo(TaskStatus.RETRYING);
    assertThat(transition.dueAt()).isEqualTo(NOW.plus(Duration.ofMinutes(1)));
  }

  @Test
  void retry_after_does_not_extend_the_retry_budget() {
    Task lastOfFour = aRunningTask().atAttempt(4, 3).build();

    assertThat(after(lastOfFour, unavailable(Duration.ofSeconds(5))).status())
        .isEqualTo(TaskStatus.FAILED);
  }

  @Test
  void a_non_retryable_failure_fails_the_task_at_once_whatever_its_budget() {
    Task firstOfEleven = aRunningTask().atAttempt(1, 10).build();
    Outcome notFound = new Outcome.NonRetryable(AttemptOutcome.HTTP_ERROR, NOT_FOUND, "HTTP 404");

    Transition transition = after(firstOfEleven, notFound);

    assertThat(transition)
        .isEqualTo(new Transition(TaskStatus.FAILED, null, NOT_FOUND, "HTTP 404"));
  }

  @Test
  void an_aborted_attempt_cancels_the_task() {
    Transition transition = after(aRunningTask().build(), new Outcome.Aborted());

    assertThat(transition.status()).isEqualTo(TaskStatus.CANCELLED);
    assertThat(transition.dueAt()).isNull();
    assertThat(transition.result()).isNull();
  }

  @Test
  void a_lease_expiry_is_retried_like_any_retryable_failure() {
    Task secondOfFour = aRunningTask().atAttempt(2, 3).build();
    Outcome lost = new Outcome.Retryable(AttemptOutcome.LEASE_EXPIRED, null, "lease expired", null);

    Transition transition = after(secondOfFour, lost);

    assertThat(transition)
        .isEqualTo(new Transition(TaskStatus.RETRYING, NOW.plusSeconds(2), null, "lease expired"));
  }
}
