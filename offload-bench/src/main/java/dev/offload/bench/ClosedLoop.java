package dev.offload.bench;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;

/**
 * Sends {@code count} requests with at most {@code concurrency} in flight: each answer frees a slot
 * for the next request, like {@code concurrency} clients on keep-alive connections.
 */
final class ClosedLoop {
  /**
   * How it went: failed requests make every figure of the loop meaningless, so callers fail on
   * them.
   */
  record Result(int count, long startNanos, long endNanos, int failures, String firstFailure) {
    double perSecond() {
      return count / seconds();
    }

    double seconds() {
      return (endNanos - startNanos) / 1e9;
    }

    Result requireNoFailures(String what) {
      if (failures > 0) {
        throw new IllegalStateException(
            what + ": " + failures + " of " + count + " requests failed; first: " + firstFailure);
      }
      return this;
    }
  }

  private ClosedLoop() {}

  static Result run(
      int count, int concurrency, IntFunction<CompletableFuture<LoadClient.Reply>> send)
      throws InterruptedException {
    Semaphore slots = new Semaphore(concurrency);
    AtomicInteger failures = new AtomicInteger();
    AtomicReference<String> firstFailure = new AtomicReference<>();
    long start = System.nanoTime();
    for (int i = 0; i < count; i++) {
      slots.acquire();
      send.apply(i)
          .whenComplete(
              (reply, error) -> {
                if (error != null || !reply.ok()) {
                  failures.incrementAndGet();
                  firstFailure.compareAndSet(
                      null, error != null ? error.toString() : reply.describe());
                }
                slots.release();
              });
    }
    // Every slot back means every answer is in.
    slots.acquire(concurrency);
    long end = System.nanoTime();
    slots.release(concurrency);
    return new Result(count, start, end, failures.get(), firstFailure.get());
  }
}
