package dev.offload.schedule;

import dev.offload.task.TaskId;

/** What firing a slot of a schedule did. */
public sealed interface FireResult {
  record Fired(TaskId taskId) implements FireResult {}

  /** {@code overlap: skip} and the previous run was not finished. */
  record Skipped(TaskId unfinished) implements FireResult {}

  /** Another node fired the slot, or the schedule changed since it was read. */
  record Lost() implements FireResult {}
}
