package dev.offload.task;

import java.util.Arrays;
import java.util.Optional;

/**
 * The server-sent event names (docs/design.md: Observability); {@link #wire()} is the name on the
 * wire and in storage.
 */
public enum TaskEventType {
  TASK_CREATED("task.created"),
  ATTEMPT_STARTED("attempt.started"),
  ATTEMPT_FINISHED("attempt.finished"),
  TASK_PROGRESS("task.progress"),
  TASK_SUCCEEDED("task.succeeded"),
  TASK_FAILED("task.failed"),
  TASK_CANCELLED("task.cancelled"),
  TASK_CONTINUED("task.continued"),
  TASK_WAITING("task.waiting");

  private final String wire;

  TaskEventType(String wire) {
    this.wire = wire;
  }

  public String wire() {
    return wire;
  }

  public boolean isTerminal() {
    return this == TASK_SUCCEEDED || this == TASK_FAILED || this == TASK_CANCELLED;
  }

  /** The event of a task reaching {@code status}, which must be terminal. */
  public static TaskEventType terminal(TaskStatus status) {
    return switch (status) {
      case SUCCEEDED -> TASK_SUCCEEDED;
      case FAILED -> TASK_FAILED;
      case CANCELLED -> TASK_CANCELLED;
      default -> throw new IllegalArgumentException(status + " is not terminal");
    };
  }

  public static Optional<TaskEventType> fromWire(String text) {
    return Arrays.stream(values()).filter(t -> t.wire.equals(text)).findFirst();
  }
}
