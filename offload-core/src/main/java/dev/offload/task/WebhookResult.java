package dev.offload.task;

import java.time.Instant;

/** Outcome of one webhook delivery; {@code nextAttemptAt} is set while it stays pending. */
public record WebhookResult(
    TaskId taskId,
    WebhookState.Delivery status,
    int attempts,
    String error,
    Instant nextAttemptAt) {}
