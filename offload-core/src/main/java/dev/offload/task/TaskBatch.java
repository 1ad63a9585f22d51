package dev.offload.task;

import java.util.List;

/** Tasks that are created together or not at all (one API request). */
public record TaskBatch(List<NewTask> tasks) {
  public TaskBatch {
    tasks = List.copyOf(tasks);
    if (tasks.isEmpty()) throw new IllegalArgumentException("a batch needs at least one task");
  }

  public static TaskBatch of(NewTask task) {
    return new TaskBatch(List.of(task));
  }
}
