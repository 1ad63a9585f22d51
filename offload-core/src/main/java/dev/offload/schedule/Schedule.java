package dev.offload.schedule;

import dev.offload.task.TaskId;
import java.time.Instant;

/**
 * A stored schedule. {@code nextRunAt} is the next slot to fire (null when none is left); {@code
 * lastRunAt} and {@code lastTaskId} belong to its latest run, by slot or by trigger. {@code
 * version} grows with every change of the definition or of {@code paused}.
 */
public record Schedule(
    ScheduleDefinition definition,
    Instant createdAt,
    Instant updatedAt,
    Instant nextRunAt,
    Instant lastRunAt,
    TaskId lastTaskId,
    long version) {
  public String name() {
    return definition.name();
  }
}
