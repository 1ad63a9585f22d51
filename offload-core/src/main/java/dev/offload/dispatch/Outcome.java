package dev.offload.dispatch;

import dev.offload.task.AttemptOutcome;
import dev.offload.task.TaskResult;
import java.time.Duration;

/** How one attempt ended, before retry policy is applied. {@code response} is null without one. */
public sealed interface Outcome {
  AttemptOutcome kind();

  TaskResult response();

  record Succeeded(TaskResult response) implements Outcome {
    @Override
    public AttemptOutcome kind() {
      return AttemptOutcome.SUCCEEDED;
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
  record Continued(TaskResult response, ContinueDirective directive, String state) implements Outcome {
    @Override
    public AttemptOutcome kind() {
      return directive.kind() == ContinueDirective.Kind.AWAIT ? AttemptOutcome.AWAITING : AttemptOutcome.CONTINUED;
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
  }
}
