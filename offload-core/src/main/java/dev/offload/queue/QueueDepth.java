package dev.offload.queue;

import dev.offload.task.TaskStatus;
import java.time.Instant;

/**
 * How many tasks of {@code queue} are in {@code status} (an active one), and for ready ones ({@code
 * queued}) when the oldest became due; null otherwise.
 */
public record QueueDepth(String queue, TaskStatus status, long count, Instant oldestReadySince) {}
