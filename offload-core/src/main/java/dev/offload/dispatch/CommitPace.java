package dev.offload.dispatch;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Spaces the transactions of one writing loop (the intake, the claim loop, the completer) at least
 * an interval apart while it has work back to back. Every commit writes each page it changed, and a
 * task touches the same pages as the tasks beside it (the ends of the task table's indexes, the
 * event log, the queue's counters): at 1,000 tasks/s, one task a commit wrote each of those pages a
 * thousand times a second. Work that arrives during the interval joins the next commit instead. A
 * loop that was idle for the interval begins at once, so a lone task waits for nothing.
 *
 * <p>The interval is elapsed machine time ({@link System#nanoTime()}), not the engine's clock: it
 * paces work, and a test's clock that stands still must not stretch it.
 */
public final class CommitPace {
  /** Sleeps for a number of nanoseconds; tests record instead. */
  @FunctionalInterface
  public interface Sleeper {
    void sleep(long nanos) throws InterruptedException;
  }

  private final long intervalNanos;
  private final LongSupplier nanoTime;
  private final Sleeper sleeper;
  private boolean begun;
  private long lastBegin;

  public CommitPace(Duration interval, LongSupplier nanoTime, Sleeper sleeper) {
    if (interval == null || interval.isNegative())
      throw new IllegalArgumentException("interval must be >= 0, got " + interval);
    this.intervalNanos = interval.toNanos();
    this.nanoTime = nanoTime;
    this.sleeper = sleeper;
  }

  public static CommitPace of(Duration interval) {
    return new CommitPace(
        interval, System::nanoTime, nanos -> Thread.sleep(Duration.ofNanos(nanos)));
  }

  /**
   * Waits until the interval since the loop's last transaction began has passed; the caller then
   * begins the next one.
   */
  public void awaitTurn() throws InterruptedException {
    if (intervalNanos == 0) return;
    long now = nanoTime.getAsLong();
    long wait = begun ? lastBegin + intervalNanos - now : 0;
    if (wait > 0) {
      sleeper.sleep(wait);
      now = nanoTime.getAsLong();
    }
    begun = true;
    lastBegin = now;
  }
}
