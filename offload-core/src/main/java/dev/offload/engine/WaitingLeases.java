package dev.offload.engine;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The lease calls waiting for work on this node, and their doorbell: new work wakes every one at
 * once. A call takes its {@link #turn} before it looks for work and waits on that, so news that
 * comes while it looks is not lost. Made before the parts that ring it, like the loops' doorbells.
 */
final class WaitingLeases {
  private final AtomicReference<CompletableFuture<Void>> next =
      new AtomicReference<>(new CompletableFuture<>());
  private final AtomicInteger waiting = new AtomicInteger();

  /** Taken before looking for work: completes at the next {@link #signal}. */
  CompletableFuture<Void> turn() {
    return next.get();
  }

  /** Waits until {@code turn} completes or {@code millis} pass. */
  void await(CompletableFuture<Void> turn, long millis) throws InterruptedException {
    waiting.incrementAndGet();
    try {
      turn.get(millis, TimeUnit.MILLISECONDS);
    } catch (TimeoutException | ExecutionException e) {
      // look again: the wait ended or something became due
    } finally {
      waiting.decrementAndGet();
    }
  }

  /** Wakes every waiting call: tasks were created, re-queued, or a retry was scheduled. */
  void signal() {
    next.getAndSet(new CompletableFuture<>()).complete(null);
  }

  /** How many calls have looked, found nothing, and wait now. */
  int count() {
    return waiting.get();
  }
}
