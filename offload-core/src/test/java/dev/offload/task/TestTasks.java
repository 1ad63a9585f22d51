package dev.offload.task;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * Test data for {@link Task}, which has too many fields to spell out in every test: {@code
 * aRunningTask().withAttempts(2).withMaxAttempts(4).build()}.
 */
public final class TestTasks {
  /** A fixed "now" for tests: nothing here reads the system clock. */
  public static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  /** Backoff without jitter, so delays are exact: 1 s, 2 s, 4 s, … capped at 1 h. */
  public static final Backoff EXACT_BACKOFF =
      new Backoff(Backoff.Type.EXPONENTIAL, Duration.ofSeconds(1), Duration.ofHours(1), 2.0, false);

  private TestTasks() {}

  /** A push task in its first attempt (of 4), leased to {@code node-a}, with exact backoff. */
  public static Builder aRunningTask() {
    return new Builder();
  }

  public static final class Builder {
    private TaskId id = TaskId.generate();
    private String queue = NewTask.DEFAULT_QUEUE;
    private String callbackUrl = "https://target.example/work";
    private TaskStatus status = TaskStatus.RUNNING;
    private Instant createdAt = T0;
    private Instant attemptStartedAt = T0;
    private int attempts = 1;
    private int maxAttempts = NewTask.DEFAULT_RETRIES + 1;
    private Backoff backoff = EXACT_BACKOFF;
    private Duration timeout = NewTask.DEFAULT_TIMEOUT;
    private String leaseOwner = "node-a";
    private WebhookState webhook;
    private Continuation continuation = Continuation.NONE;

    private Builder() {}

    public Builder withId(TaskId value) {
      id = value;
      return this;
    }

    public Builder withQueue(String value) {
      queue = value;
      return this;
    }

    public Builder withCallbackUrl(String value) {
      callbackUrl = value;
      return this;
    }

    public Builder withStatus(TaskStatus value) {
      status = value;
      return this;
    }

    public Builder withCreatedAt(Instant value) {
      createdAt = value;
      return this;
    }

    public Builder withAttemptStartedAt(Instant value) {
      attemptStartedAt = value;
      return this;
    }

    public Builder withAttempts(int value) {
      attempts = value;
      return this;
    }

    public Builder withMaxAttempts(int value) {
      maxAttempts = value;
      return this;
    }

    public Builder withBackoff(Backoff value) {
      backoff = value;
      return this;
    }

    public Builder withTimeout(Duration value) {
      timeout = value;
      return this;
    }

    public Builder withLeaseOwner(String value) {
      leaseOwner = value;
      return this;
    }

    public Builder withWebhook(WebhookState value) {
      webhook = value;
      return this;
    }

    public Builder withContinuation(Continuation value) {
      continuation = value;
      return this;
    }

    /** Attempt {@code attempt} of {@code 1 + retries}. */
    public Builder atAttempt(int attempt, int retries) {
      return withAttempts(attempt).withMaxAttempts(retries + 1);
    }

    public Task build() {
      return new Task(
          id,
          queue,
          null,
          callbackUrl,
          "POST",
          Map.of(),
          "{\"n\":1}",
          null,
          status,
          createdAt,
          createdAt,
          attemptStartedAt,
          attemptStartedAt,
          null,
          attempts,
          maxAttempts,
          maxAttempts - 1,
          backoff,
          timeout,
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          leaseOwner,
          webhook,
          null,
          null,
          0,
          null,
          null,
          continuation);
    }
  }
}
