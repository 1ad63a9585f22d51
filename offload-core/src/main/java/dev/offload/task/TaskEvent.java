package dev.offload.task;

import java.time.Instant;

/**
 * One thing that happened to a task, in commit order by {@code id}. {@code attempt} is the task's
 * attempt count when it happened (0 before the first), {@code outcome} is set on {@link
 * TaskEventType#ATTEMPT_FINISHED}, {@code task} is the task as read with the event (it may already
 * be further along; null if it is gone).
 */
public record TaskEvent(
    long id,
    TaskEventType type,
    TaskId taskId,
    String queue,
    int attempt,
    AttemptOutcome outcome,
    Instant at,
    Task task) {}
