package dev.offload.cluster;

import dev.offload.task.TaskId;
import java.util.List;

/**
 * The pull tasks a worker holds a lease on now: how many, and the first few, longest running first.
 */
public record WorkerHolding(String workerId, int count, List<HeldTask> tasks) {
  public WorkerHolding {
    tasks = List.copyOf(tasks);
  }

  /** A task a worker holds, with the name of its worker function. */
  public record HeldTask(TaskId id, String name) {}
}
