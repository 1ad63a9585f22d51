package dev.offload.store;

import dev.offload.task.FinishedAttempt;
import dev.offload.task.TaskId;
import java.util.List;

/**
 * Where finished attempts are written, by nodes for push tasks and on behalf of workers for pull
 * tasks. An interface so that callers' handling of a failing write can be tested against a store
 * that fails on purpose.
 */
public interface Completion {
  /**
   * Records attempts and applies their transitions in one transaction; returns the tasks whose
   * transition applied (the others had been cancelled or had lost their lease meanwhile).
   */
  List<TaskId> finish(List<FinishedAttempt> attempts);
}
