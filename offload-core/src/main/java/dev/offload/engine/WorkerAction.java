package dev.offload.engine;

import dev.offload.task.Task;
import java.time.Instant;

/** What came of a worker's heartbeat, complete or fail on one leased task. */
public sealed interface WorkerAction {
  /** Applied; {@code leaseExpiresAt} is the new end of the lease after a heartbeat, else null. */
  record Done(Task task, Instant leaseExpiresAt) implements WorkerAction {}

  /** The task was cancelled: the worker should stop working on it. */
  record Cancelled(Task task) implements WorkerAction {}

  /**
   * The token no longer holds the task's lease ({@code reason} says why); the worker should stop.
   */
  record LeaseLost(Task task, String reason) implements WorkerAction {}

  record NotFound() implements WorkerAction {}
}
