package dev.offload.task;

import java.time.Duration;
import java.time.Instant;
import java.util.random.RandomGenerator;

/**
 * Where a task goes after an attempt: its next status, when it may run again ({@code dueAt}, set
 * for {@code retrying}, and for a continued task the time of its next call or the end of its
 * await), the response to keep and the error to show. {@code next} is set when the target continued
 * the task. The factories below are the rules, the retry policy among them ({@link #retryOrFail});
 * the transitions they make are listed in docs/state_machine.md.
 */
public record Transition(
    TaskStatus status, Instant dueAt, TaskResult result, String lastError, Next next) {
  /** A continuation: the state to store, and whether the next call waits for a callback. */
  public record Next(String state, boolean awaiting) {}

  public Transition {
    if ((status == TaskStatus.RETRYING || next != null) && dueAt == null) {
      throw new IllegalArgumentException("a " + status.wire() + " task needs dueAt");
    }
  }

  public Transition(TaskStatus status, Instant dueAt, TaskResult result, String lastError) {
    this(status, dueAt, result, lastError, null);
  }

  public static Transition succeeded(TaskResult result) {
    return new Transition(TaskStatus.SUCCEEDED, null, result, null);
  }

  /** Fails at once, whatever the task's retry budget. */
  public static Transition failed(TaskResult result, String error) {
    return new Transition(TaskStatus.FAILED, null, result, error);
  }

  /** A user cancelled the task while the attempt ran. */
  public static Transition cancelled() {
    return new Transition(TaskStatus.CANCELLED, null, null, "cancelled");
  }

  /**
   * The retry policy, after attempt number {@code task.attempts()} failed in a way worth another
   * try: with attempts left the task waits {@link Backoff#delay} of its backoff for the next retry
   * of the current call, or the target's {@code retryAfter} capped at the backoff's max; on its
   * last attempt it fails.
   */
  public static Transition retryOrFail(
      Task task,
      TaskResult result,
      String error,
      Duration retryAfter,
      Instant now,
      RandomGenerator random) {
    if (task.attempts() >= task.maxAttempts()) return failed(result, error);
    Backoff backoff = task.backoff();
    Duration delay =
        retryAfter != null
            ? min(retryAfter, backoff.max())
            : backoff.delay(retryOfCall(task), random);
    return new Transition(TaskStatus.RETRYING, now.plus(delay), result, error);
  }

  /**
   * The next call of a continued task: now ({@code queued}), after a sleep ({@code scheduled}), or
   * when a callback comes or the await of {@code delay} ends ({@code waiting}).
   */
  public static Transition continued(String state, Duration delay, boolean awaiting, Instant now) {
    TaskStatus status =
        awaiting ? TaskStatus.WAITING : delay.isZero() ? TaskStatus.QUEUED : TaskStatus.SCHEDULED;
    return new Transition(status, now.plus(delay), null, null, new Next(state, awaiting));
  }

  /**
   * Which retry of the current call comes next (1 for the first): {@code maxAttempts} is raised by
   * a fresh budget after each continuation and manual retry, so the count starts from there.
   */
  private static int retryOfCall(Task task) {
    return task.attempts() - (task.maxAttempts() - task.retries() - 1);
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
