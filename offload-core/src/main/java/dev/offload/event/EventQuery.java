package dev.offload.event;

import dev.offload.task.TaskId;

/**
 * Events with {@code afterId < id <= upToId}, oldest first, at most {@code limit}; only those of
 * {@code taskId} or {@code queue} when set; each with its task as it is now when {@code withTasks}.
 */
public record EventQuery(
    long afterId, long upToId, TaskId taskId, String queue, int limit, boolean withTasks) {
  public EventQuery {
    if (limit < 1) throw new IllegalArgumentException("limit must be positive, got " + limit);
  }
}
