package dev.offload.store;

import dev.offload.task.TaskId;
import dev.offload.task.WebhookState;
import java.time.Instant;

/** Outcome of one webhook delivery; {@code nextAttemptAt} is set while it stays pending. */
public record WebhookResult(
    TaskId taskId, WebhookState.Delivery status, int attempts, String error, Instant nextAttemptAt) {}
