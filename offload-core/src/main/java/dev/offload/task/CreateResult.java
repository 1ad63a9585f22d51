package dev.offload.task;

import java.util.List;

/** What creating one {@link TaskBatch} did. */
public sealed interface CreateResult {
  /** Every task was created, or replayed by its idempotency key; in request order. */
  record Created(List<CreatedTask> tasks) implements CreateResult {}

  /** An idempotency key is held by a different request; nothing of the batch was created. */
  record KeyConflict(String idempotencyKey, TaskId heldBy) implements CreateResult {}

  record CreatedTask(TaskId id, TaskStatus status, boolean replayed) {}
}
