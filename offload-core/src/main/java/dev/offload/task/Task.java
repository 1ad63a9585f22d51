package dev.offload.task;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * A stored task as readers see it. Nullable: name/callbackUrl (one is set), startedAt (of the first
 * attempt), attemptStartedAt and leaseOwner (of the attempt in flight), finishedAt, nextAttemptAt,
 * result, lastError, progress and metadata (raw JSON), scheduleName, webhook, timeout (no limit),
 * concurrencyKey and keyConcurrency (both null for a task without a key). {@code priority}: seconds
 * of head start over tasks due at the same time. {@code retention}: the task's own (null follows
 * its queue and the server); {@code purgeAt}: when it may be deleted (set once it finished, unless
 * it is kept forever). {@code continuation} is never null ({@link Continuation#NONE} for a task
 * that never continued).
 */
public record Task(
    TaskId id,
    String queue,
    String name,
    String callbackUrl,
    String method,
    Map<String, String> headers,
    String body,
    String contentType,
    TaskStatus status,
    Instant createdAt,
    Instant runAt,
    Instant startedAt,
    Instant attemptStartedAt,
    Instant finishedAt,
    int attempts,
    int maxAttempts,
    int retries,
    Backoff backoff,
    Duration timeout,
    Instant nextAttemptAt,
    TaskResult result,
    String lastError,
    String progress,
    String metadata,
    String scheduleName,
    String idempotencyKey,
    String leaseOwner,
    WebhookState webhook,
    String concurrencyKey,
    Integer keyConcurrency,
    int priority,
    Retention retention,
    Instant purgeAt,
    Continuation continuation) {}
