package dev.offload.dispatch;

import dev.offload.task.Backoff;
import dev.offload.task.Task;
import dev.offload.task.TaskStatus;
import dev.offload.task.Transition;
import java.time.Duration;
import java.time.Instant;
import java.util.random.RandomGenerator;

/**
 * The retry policy: where a task goes after attempt number {@code task.attempts()}. A retryable
 * outcome with attempts left waits {@link Backoff#delay}, or the target's {@code Retry-After}
 * capped at the backoff's max. The transitions this makes are listed in docs/state_machine.md.
 */
public final class Transitions {
  private Transitions() {}

  public static Transition after(Task task, Outcome outcome, Instant now, RandomGenerator random) {
    return switch (outcome) {
      case Outcome.Succeeded s -> new Transition(TaskStatus.SUCCEEDED, null, s.response(), null);
      case Outcome.Continued c -> continued(c, now);
      case Outcome.Aborted a -> new Transition(TaskStatus.CANCELLED, null, null, "cancelled");
      case Outcome.NonRetryable f -> new Transition(TaskStatus.FAILED, null, f.response(), f.error());
      case Outcome.Retryable r -> {
        if (task.attempts() >= task.maxAttempts()) {
          yield new Transition(TaskStatus.FAILED, null, r.response(), r.error());
        }
        Backoff backoff = task.backoff();
        Duration delay = r.retryAfter() != null
            ? min(r.retryAfter(), backoff.max())
            : backoff.delay(retryOfCall(task), random);
        yield new Transition(TaskStatus.RETRYING, now.plus(delay), r.response(), r.error());
      }
    };
  }

  /**
   * Which retry of the current call comes next (1 for the first): {@code maxAttempts} is raised by
   * a fresh budget after each continuation and manual retry, so the count starts from there.
   */
  private static int retryOfCall(Task task) {
    return task.attempts() - (task.maxAttempts() - task.retries() - 1);
  }

  /** The next call of a continued task: now, after its sleep, or when a callback comes or the await ends. */
  private static Transition continued(Outcome.Continued c, Instant now) {
    ContinueDirective directive = c.directive();
    boolean awaiting = directive.kind() == ContinueDirective.Kind.AWAIT;
    TaskStatus status = awaiting ? TaskStatus.WAITING : directive.delay().isZero() ? TaskStatus.QUEUED : TaskStatus.SCHEDULED;
    return new Transition(status, now.plus(directive.delay()), null, null, new Transition.Next(c.state(), awaiting));
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
