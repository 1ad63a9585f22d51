package dev.offload.task;

import java.time.Instant;

/**
 * The long-work side of a task: how many calls answered with {@code Offload-Continue} ({@code
 * count}, also the number the next call carries), the limit, the stored state (raw JSON, null
 * before the first continuation), whether the next call answers an await, the JSON posted to the
 * callback URL of call number {@code callbackStep} (both null until one is posted) and, while the
 * task sleeps or waits for a callback, when that ends.
 */
public record Continuation(
    int count,
    int max,
    String state,
    boolean awaiting,
    String callback,
    Integer callbackStep,
    Instant waitingUntil) {
  public static final int DEFAULT_MAX = 10_000;
  public static final Continuation NONE =
      new Continuation(0, DEFAULT_MAX, null, false, null, null, null);
  private static final String TIMED_OUT = "{\"timedOut\":true}";

  /**
   * The {@code callback} member of the next call's body (raw JSON), or null when it answers no
   * await.
   */
  public String callbackForNextCall() {
    if (!awaiting) return null;
    return callbackStep != null && callbackStep == count - 1 ? callback : TIMED_OUT;
  }
}
