package dev.offload.queue;

import dev.offload.task.Retention;

/**
 * A queue's flow control (README: Queues); a null limit means none. At most {@code concurrency}
 * tasks of the queue run at once (push and pull together, across all nodes); attempts start at
 * {@code ratePerSecond} on average, with up to {@code burst} at once after a quiet spell (a token
 * bucket; default 1, so the rate is smooth); a paused queue starts no attempt at all. Its finished
 * tasks are kept {@code retainSucceeded} (succeeded) or {@code retainFailed} (failed or cancelled)
 * unless a task says otherwise; null follows the server's default.
 */
public record QueueSettings(
    Integer concurrency,
    Double ratePerSecond,
    Integer burst,
    boolean paused,
    Retention retainSucceeded,
    Retention retainFailed) {
  public static final QueueSettings NONE = new QueueSettings(null, null, null, false);

  /** Flow control only; finished tasks are kept as the server says. */
  public QueueSettings(Integer concurrency, Double ratePerSecond, Integer burst, boolean paused) {
    this(concurrency, ratePerSecond, burst, paused, null, null);
  }

  public static final int DEFAULT_BURST = 1;
  public static final int MAX_CONCURRENCY = 100_000;
  public static final double MAX_RATE_PER_SECOND = 100_000;
  public static final int MAX_BURST = 100_000;

  public QueueSettings {
    if (concurrency != null && (concurrency < 1 || concurrency > MAX_CONCURRENCY)) {
      throw new IllegalArgumentException(
          "concurrency must be 1 to " + MAX_CONCURRENCY + ", got " + concurrency);
    }
    if (ratePerSecond != null && !(ratePerSecond > 0 && ratePerSecond <= MAX_RATE_PER_SECOND)) {
      throw new IllegalArgumentException(
          "ratePerSecond must be > 0 and <= " + MAX_RATE_PER_SECOND + ", got " + ratePerSecond);
    }
    if (burst != null && (burst < 1 || burst > MAX_BURST)) {
      throw new IllegalArgumentException("burst must be 1 to " + MAX_BURST + ", got " + burst);
    }
  }

  /** The bucket size: how many attempts may start at once after a quiet spell. */
  public int effectiveBurst() {
    return burst == null ? DEFAULT_BURST : burst;
  }
}
