package dev.offload.dispatch;

import dev.offload.task.FinishedAttempt;
import dev.offload.task.Task;
import java.util.List;

/**
 * Told, after commit, which finished attempts changed their task's state, and which attempts
 * started.
 */
@FunctionalInterface
public interface AttemptListener {
  void applied(List<FinishedAttempt> attempts);

  /** An attempt of {@code task} (claimed, so {@code running}) is being sent to its target. */
  default void started(Task task) {}
}
