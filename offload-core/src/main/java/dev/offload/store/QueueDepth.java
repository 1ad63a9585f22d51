package dev.offload.store;

import dev.offload.task.TaskStatus;
import java.time.Instant;

/**
 * How many tasks of {@code queue} are in {@code status} (an active one), and for the statuses of
 * ready tasks (queued, retrying) when the queue's oldest task whose time has come became due;
 * null otherwise.
 */
public record QueueDepth(String queue, TaskStatus status, long count, Instant oldestReadySince) {}
