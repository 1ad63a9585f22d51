package dev.offload.bench;

import java.util.function.BooleanSupplier;

/**
 * Waits on a condition of a system under test, failing when the deadline passes or the system has
 * died.
 */
final class Poll {
  private Poll() {}

  /**
   * Polls {@code condition} every {@code pollMillis}; returns when it held, on the nanoTime scale.
   *
   * @param requireAlive throws when a process of the system has exited, so a dead system fails at
   *     once
   */
  static long until(
      BooleanSupplier condition,
      long pollMillis,
      long deadlineNanos,
      String what,
      Runnable requireAlive)
      throws InterruptedException {
    while (!condition.getAsBoolean()) {
      requireAlive.run();
      if (System.nanoTime() > deadlineNanos)
        throw new IllegalStateException(what + ": not done in time");
      Thread.sleep(pollMillis);
    }
    return System.nanoTime();
  }
}
