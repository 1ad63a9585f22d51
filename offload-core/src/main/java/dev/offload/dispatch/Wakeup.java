package dev.offload.dispatch;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The doorbell of one loop: the loop sleeps until a deadline or until someone has news for it,
 * whichever comes first. A ring while the loop is awake is kept for its next sleep, so news that
 * comes between looking for work and going to sleep is not lost. The engine makes each doorbell
 * before the parts that ring it, so a part that signals never needs the loop it wakes.
 */
public final class Wakeup {
  private final Semaphore signal = new Semaphore(0);
  private final Clock clock;

  /** When the sleeping loop means to look again; MAX while it works, so every ring counts. */
  private volatile long plannedWakeMillis = Long.MAX_VALUE;

  public Wakeup(Clock clock) {
    this.clock = clock;
  }

  /** Something may have become due: look now rather than at the planned time. */
  public void signal() {
    if (signal.availablePermits() == 0) signal.release();
  }

  /** Work due at {@code dueAt}: rings only if the loop planned to sleep past that time. */
  public void signalFor(Instant dueAt) {
    if (dueAt.toEpochMilli() < plannedWakeMillis) signal();
  }

  /**
   * Takes the rings that came while the loop was awake, if any: the loop then looks for work again
   * instead of working out how long to sleep.
   */
  boolean takeRings() {
    return signal.drainPermits() > 0;
  }

  void await(Duration atMost) throws InterruptedException {
    if (atMost.isNegative() || atMost.isZero()) return;
    plannedWakeMillis = clock.millis() + atMost.toMillis();
    try {
      if (signal.tryAcquire(atMost.toMillis(), TimeUnit.MILLISECONDS)) signal.drainPermits();
    } finally {
      plannedWakeMillis = Long.MAX_VALUE;
    }
  }
}
