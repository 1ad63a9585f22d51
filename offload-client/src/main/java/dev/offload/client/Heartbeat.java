package dev.offload.client;

import java.time.Instant;

/**
 * The answer to a heartbeat: the lease now ends at {@code leaseExpiresAt}, or the task was {@code
 * cancelled} and the worker should stop (then {@code leaseExpiresAt} is null).
 */
public record Heartbeat(boolean cancelled, Instant leaseExpiresAt) {}
