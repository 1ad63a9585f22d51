package dev.offload.dispatch;

import dev.offload.task.Backoff;
import java.time.Duration;

/** Completion webhook delivery: attempts in all, the wait between them, and each call's timeout. */
public record WebhookConfig(int attempts, Backoff backoff, Duration timeout) {
  public static final int DEFAULT_ATTEMPTS = 5;

  /** 10 s, 1 min, 6 min, 36 min: about 45 minutes of receiver outage is ridden out. */
  public static final Backoff DEFAULT_BACKOFF =
      new Backoff(Backoff.Type.EXPONENTIAL, Duration.ofSeconds(10), Duration.ofHours(1), 6, true);

  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
  public static final WebhookConfig DEFAULT =
      new WebhookConfig(DEFAULT_ATTEMPTS, DEFAULT_BACKOFF, DEFAULT_TIMEOUT);

  public WebhookConfig {
    if (attempts < 1)
      throw new IllegalArgumentException("webhook attempts must be >= 1, got " + attempts);
    if (backoff == null) throw new IllegalArgumentException("webhook backoff is required");
    if (timeout == null || timeout.toMillis() < 1)
      throw new IllegalArgumentException("webhook timeout must be > 0");
  }
}
