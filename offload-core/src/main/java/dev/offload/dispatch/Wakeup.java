package dev.offload.dispatch;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/** Lets a loop sleep until a deadline or until someone has news for it, whichever comes first. */
final class Wakeup {
  private final Semaphore signal = new Semaphore(0);

  void signal() {
    if (signal.availablePermits() == 0) signal.release();
  }

  void await(Duration atMost) throws InterruptedException {
    if (atMost.isNegative() || atMost.isZero()) return;
    if (signal.tryAcquire(atMost.toMillis(), TimeUnit.MILLISECONDS)) signal.drainPermits();
  }
}
