package dev.offload.task;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * A validated request to create a task. {@code callbackUrl} is set for push tasks, {@code name} for
 * pull tasks. {@code body} is the raw request body sent to the target ({@code payload} serialized,
 * or the caller's string); {@code metadata} is a raw JSON object or null. A null {@code timeout}
 * means no per-attempt limit; a null {@code runAt} means now. At most {@code keyConcurrency} tasks
 * of one non-null {@code concurrencyKey} run at once in a queue. {@code priority} is a head start
 * in seconds: among tasks that may be claimed, those with the smallest {@code runAt - priority} go
 * first. A null {@code retention} keeps the finished task as its queue or the server says. A push
 * target may continue the task at most {@code maxContinuations} times.
 */
public record NewTask(
    TaskId id,
    String queue,
    String name,
    URI callbackUrl,
    String method,
    Map<String, String> headers,
    String body,
    String contentType,
    Instant runAt,
    int retries,
    Backoff backoff,
    Duration timeout,
    URI webhookUrl,
    String idempotencyKey,
    String requestHash,
    String metadata,
    String scheduleName,
    String concurrencyKey,
    int keyConcurrency,
    int priority,
    Retention retention,
    int maxContinuations) {
  public static final String DEFAULT_QUEUE = "default";
  public static final int DEFAULT_RETRIES = 3;
  public static final Duration DEFAULT_TIMEOUT = Duration.ofHours(1);

  /** How many tasks of one concurrency key of a queue may run at once unless the task says. */
  public static final int DEFAULT_KEY_CONCURRENCY = 1;

  /** A priority moves a task at most a day ahead of (or behind) others due at the same time. */
  public static final int MAX_PRIORITY = 86_400;

  public NewTask {
    if (id == null) throw new IllegalArgumentException("id is required");
    if (queue == null || queue.isBlank()) throw new IllegalArgumentException("queue is required");
    if ((callbackUrl == null) == (name == null)) {
      throw new IllegalArgumentException("exactly one of callbackUrl and name is required");
    }
    if (method == null) throw new IllegalArgumentException("method is required");
    if (retries < 0) throw new IllegalArgumentException("retries must be >= 0, got " + retries);
    if (backoff == null) throw new IllegalArgumentException("backoff is required");
    if (idempotencyKey != null && requestHash == null) {
      throw new IllegalArgumentException("an idempotency key needs the request hash it guards");
    }
    if (keyConcurrency < 1)
      throw new IllegalArgumentException("keyConcurrency must be >= 1, got " + keyConcurrency);
    if (Math.abs(priority) > MAX_PRIORITY) {
      throw new IllegalArgumentException(
          "priority must be within -" + MAX_PRIORITY + ".." + MAX_PRIORITY + ", got " + priority);
    }
    if (maxContinuations < 0)
      throw new IllegalArgumentException("maxContinuations must be >= 0, got " + maxContinuations);
    headers = headers == null ? Map.of() : Map.copyOf(headers);
  }

  public int maxAttempts() {
    return retries + 1;
  }

  /** This task with {@code headers} instead of its own. */
  public NewTask withHeaders(Map<String, String> headers) {
    return new NewTask(
        id,
        queue,
        name,
        callbackUrl,
        method,
        headers,
        body,
        contentType,
        runAt,
        retries,
        backoff,
        timeout,
        webhookUrl,
        idempotencyKey,
        requestHash,
        metadata,
        scheduleName,
        concurrencyKey,
        keyConcurrency,
        priority,
        retention,
        maxContinuations);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Builds tasks with the defaults of docs/design.md (Tasks). */
  public static final class Builder {
    private TaskId id = TaskId.generate();
    private String queue = DEFAULT_QUEUE;
    private String name;
    private URI callbackUrl;
    private String method = "POST";
    private Map<String, String> headers = Map.of();
    private String body;
    private String contentType;
    private Instant runAt;
    private int retries = DEFAULT_RETRIES;
    private Backoff backoff = Backoff.DEFAULT;
    private Duration timeout = DEFAULT_TIMEOUT;
    private URI webhookUrl;
    private String idempotencyKey;
    private String requestHash;
    private String metadata;
    private String scheduleName;
    private String concurrencyKey;
    private int keyConcurrency = DEFAULT_KEY_CONCURRENCY;
    private int priority;
    private Retention retention;
    private int maxContinuations = Continuation.DEFAULT_MAX;

    public Builder id(TaskId value) {
      id = value;
      return this;
    }

    public Builder queue(String value) {
      queue = value;
      return this;
    }

    public Builder name(String value) {
      name = value;
      return this;
    }

    public Builder callbackUrl(URI value) {
      callbackUrl = value;
      return this;
    }

    public Builder callbackUrl(String value) {
      return callbackUrl(URI.create(value));
    }

    public Builder method(String value) {
      method = value;
      return this;
    }

    public Builder headers(Map<String, String> value) {
      headers = value;
      return this;
    }

    public Builder body(String value) {
      body = value;
      return this;
    }

    public Builder contentType(String value) {
      contentType = value;
      return this;
    }

    public Builder runAt(Instant value) {
      runAt = value;
      return this;
    }

    public Builder retries(int value) {
      retries = value;
      return this;
    }

    public Builder backoff(Backoff value) {
      backoff = value;
      return this;
    }

    public Builder timeout(Duration value) {
      timeout = value;
      return this;
    }

    public Builder webhookUrl(URI value) {
      webhookUrl = value;
      return this;
    }

    public Builder idempotencyKey(String value) {
      idempotencyKey = value;
      return this;
    }

    public Builder requestHash(String value) {
      requestHash = value;
      return this;
    }

    public Builder metadata(String value) {
      metadata = value;
      return this;
    }

    public Builder scheduleName(String value) {
      scheduleName = value;
      return this;
    }

    public Builder concurrencyKey(String value) {
      concurrencyKey = value;
      return this;
    }

    public Builder keyConcurrency(int value) {
      keyConcurrency = value;
      return this;
    }

    public Builder priority(int value) {
      priority = value;
      return this;
    }

    public Builder retention(Retention value) {
      retention = value;
      return this;
    }

    public Builder maxContinuations(int value) {
      maxContinuations = value;
      return this;
    }

    public NewTask build() {
      return new NewTask(
          id,
          queue,
          name,
          callbackUrl,
          method,
          headers,
          body,
          contentType,
          runAt,
          retries,
          backoff,
          timeout,
          webhookUrl,
          idempotencyKey,
          requestHash,
          metadata,
          scheduleName,
          concurrencyKey,
          keyConcurrency,
          priority,
          retention,
          maxContinuations);
    }
  }
}
