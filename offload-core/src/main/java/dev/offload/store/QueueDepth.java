package dev.offload.store;

import dev.offload.task.TaskStatus;
import java.time.Instant;

/**
 * How many tasks of {@code queue} are in {@code status} (an active one), and for ready ones
 * (queued, or retrying with the backoff elapsed) when the oldest became due; null otherwise.
 */
public record QueueDepth(String queue, TaskStatus status, long count, Instant oldestReadySince) {}
