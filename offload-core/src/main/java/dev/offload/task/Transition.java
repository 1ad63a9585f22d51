package dev.offload.task;

import java.time.Instant;

/**
 * Where a task goes after an attempt: its next status, when it may run again ({@code dueAt}, set
 * only for {@code retrying}), the response to keep and the error to show.
 */
public record Transition(TaskStatus status, Instant dueAt, TaskResult result, String lastError) {
  public Transition {
    if (status == TaskStatus.RETRYING && dueAt == null) {
      throw new IllegalArgumentException("a retrying task needs dueAt");
    }
  }
}
