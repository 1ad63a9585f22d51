package dev.offload.engine;

import dev.offload.task.Task;
import java.time.Instant;

/** A pull task handed to a worker: the worker proves its lease with {@code leaseToken}. */
public record LeasedTask(Task task, String leaseToken, Instant leaseExpiresAt) {}
