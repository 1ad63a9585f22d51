package dev.offload.bench;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongFunction;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Sends at a fixed rate whatever the server does: send i is due at {@code start + i/rate} and goes
 * out then (or at once, if the sender is late), without waiting for earlier answers. Latency is
 * measured from that intended time, so a stall shows as the latency of every send due during it
 * instead of being hidden by a producer that slowed down with the server (coordinated omission).
 */
final class OpenLoop {
  /**
   * @param maxSendLagNanos how late the sender itself got behind its schedule; large values mean
   *     the bench machine, not the server, was the limit
   * @param answerMicros from each intended send time to its answer, in microseconds
   */
  record Result(
      int sent,
      long startNanos,
      long lastSendNanos,
      int failures,
      String firstFailure,
      long maxSendLagNanos,
      Histogram answerMicros) {
    Result requireNoFailures(String what) {
      if (failures > 0) {
        throw new IllegalStateException(
            what + ": " + failures + " of " + sent + " sends failed; first: " + firstFailure);
      }
      return this;
    }
  }

  private OpenLoop() {}

  /**
   * @param send sends one request for the given intended send time ({@link System#nanoTime()}
   *     scale)
   */
  static Result run(
      int rate,
      Duration duration,
      Duration answersWithin,
      LongFunction<CompletableFuture<LoadClient.Reply>> send)
      throws InterruptedException {
    int count = (int) Math.max(1, rate * duration.toNanos() / 1_000_000_000L);
    CountDownLatch answered = new CountDownLatch(count);
    AtomicInteger failures = new AtomicInteger();
    AtomicReference<String> firstFailure = new AtomicReference<>();
    Recorder answers = new Recorder(3);
    long start = System.nanoTime();
    long maxLag = 0;
    for (int i = 0; i < count; i++) {
      long intended = start + i * 1_000_000_000L / rate;
      for (long wait = intended - System.nanoTime();
          wait > 0;
          wait = intended - System.nanoTime()) {
        LockSupport.parkNanos(wait);
      }
      maxLag = Math.max(maxLag, System.nanoTime() - intended);
      send.apply(intended)
          .whenComplete(
              (reply, error) -> {
                answers.recordValue(Math.max(0, (System.nanoTime() - intended) / 1000));
                if (error != null || !reply.ok()) {
                  failures.incrementAndGet();
                  firstFailure.compareAndSet(
                      null, error != null ? error.toString() : reply.describe());
                }
                answered.countDown();
              });
    }
    long lastSend = System.nanoTime();
    if (!answered.await(answersWithin.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new IllegalStateException(
          "open loop: "
              + answered.getCount()
              + " of "
              + count
              + " sends unanswered "
              + answersWithin.toSeconds()
              + "s after the last send");
    }
    return new Result(
        count,
        start,
        lastSend,
        failures.get(),
        firstFailure.get(),
        maxLag,
        answers.getIntervalHistogram());
  }
}
