package dev.offload.event;

import dev.offload.task.TaskId;

/** Which events a subscriber follows: one task's, one queue's, or (both null) all. */
public record EventFilter(TaskId taskId, String queue) {
  public static final EventFilter ALL = new EventFilter(null, null);

  public static EventFilter task(TaskId id) {
    return new EventFilter(id, null);
  }

  public static EventFilter queue(String queue) {
    return new EventFilter(null, queue);
  }
}
