package dev.offload.task;

import java.time.Instant;

/**
 * Where a task goes after an attempt: its next status, when it may run again ({@code dueAt}, set
 * for {@code retrying}, and for a continued task the time of its next call or the end of its await),
 * the response to keep and the error to show. {@code next} is set when the target continued the task.
 */
public record Transition(TaskStatus status, Instant dueAt, TaskResult result, String lastError, Next next) {
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
}
