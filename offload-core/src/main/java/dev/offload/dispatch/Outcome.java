package dev.offload.dispatch;

import dev.offload.task.Attempt;
import dev.offload.task.AttemptOutcome;
import dev.offload.task.FinishedAttempt;
import dev.offload.task.Task;
import dev.offload.task.TaskResult;
import dev.offload.task.Transition;
import java.time.Duration;
import java.time.Instant;
import java.util.random.RandomGenerator;

/**
 * How one attempt ended, before the retry policy is applied. {@code response} is null without one.
 * {@link #finish} turns it into what is stored, wherever the attempt ran: a call of this node, a
 * pull worker's complete or fail, a cancel, or a lease that ran out.
 */
public sealed interface Outcome {
  /** The most of a response body an attempt record keeps. */
  int EXCERPT_CHARS = 1_000;

  AttemptOutcome kind();

  TaskResult response();

  /** What went wrong, for the attempt and the task's {@code lastError}; null when nothing did. */
  String error();

  record Succeeded(TaskResult response) implements Outcome {
    @Override
    public AttemptOutcome kind() {
      return AttemptOutcome.SUCCEEDED;
    }

    @Override
    public String error() {
      return null;
    }
  }

  /** Worth another attempt; {@code retryAfter} is the target's own wish, or null. */
  record Retryable(AttemptOutcome kind, TaskResult response, String error, Duration retryAfter)
      implements Outcome {}

  /** The task fails at once, whatever its retry budget. */
  record NonRetryable(AttemptOutcome kind, TaskResult response, String error) implements Outcome {}

  /**
   * The target answered 2xx with {@code Offload-Continue}: call it again as {@code directive} says,
   * with {@code state} (raw JSON, {@code null} for an empty body).
   */
  record Continued(TaskResult response, ContinueDirective directive, String state)
      implements Outcome {
    @Override
    public AttemptOutcome kind() {
      return directive.kind() == ContinueDirective.Kind.AWAIT
          ? AttemptOutcome.AWAITING
          : AttemptOutcome.CONTINUED;
    }

    @Override
    public String error() {
      return null;
    }
  }

  /** A user cancelled the task while the attempt ran. */
  record Aborted() implements Outcome {
    @Override
    public AttemptOutcome kind() {
      return AttemptOutcome.CANCELLED;
    }

    @Override
    public TaskResult response() {
      return null;
    }

    @Override
    public String error() {
      return "cancelled while running";
    }
  }

  /**
   * Where the task goes after this outcome of attempt number {@code task.attempts()}: the retry
   * policy applied.
   */
  default Transition transition(Task task, Instant now, RandomGenerator random) {
    return switch (this) {
      case Succeeded s -> Transition.succeeded(s.response());
      case Continued c ->
          Transition.continued(
              c.state(),
              c.directive().delay(),
              c.directive().kind() == ContinueDirective.Kind.AWAIT,
              now);
      case Aborted a -> Transition.cancelled();
      case NonRetryable n -> Transition.failed(n.response(), n.error());
      case Retryable r ->
          Transition.retryOrFail(task, r.response(), r.error(), r.retryAfter(), now, random);
    };
  }

  /**
   * The finished attempt to store for this outcome of {@code task}'s current attempt, held under
   * {@code leaseOwner} (a node id, or a worker's lease token): the attempt record, named after the
   * node or worker, and the transition. A reaper passes {@code leaseExpiredBefore}, else null.
   */
  default FinishedAttempt finish(
      Task task,
      String leaseOwner,
      Instant now,
      Instant leaseExpiredBefore,
      RandomGenerator random) {
    TaskResult response = response();
    String excerpt =
        response == null || response.body() == null
            ? null
            : response.body().length() <= EXCERPT_CHARS
                ? response.body()
                : response.body().substring(0, EXCERPT_CHARS);
    Instant started = task.attemptStartedAt() == null ? now : task.attemptStartedAt();
    Attempt attempt =
        new Attempt(
            task.id(),
            task.attempts(),
            started,
            now,
            kind(),
            response == null ? null : response.statusCode(),
            error(),
            excerpt,
            WorkerLeases.workerOf(leaseOwner));
    return new FinishedAttempt(
        attempt, leaseOwner, transition(task, now, random), leaseExpiredBefore, task.queue());
  }
}
