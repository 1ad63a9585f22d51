package dev.offload.bench;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/** What the sink saw during one measurement; thread-safe, written by many request threads. */
final class SinkCounters {
  private final int holdTarget;
  private final Set<String> fastTaskIds = ConcurrentHashMap.newKeySet();
  private final Set<String> heldTaskIds = ConcurrentHashMap.newKeySet();
  private final AtomicLong fastCalls = new AtomicLong();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger peakInFlight = new AtomicInteger();
  private final AtomicLong allInFlightAtNanos = new AtomicLong();
  private final AtomicLong peakReachedAtNanos = new AtomicLong();
  // Microseconds, 3 significant digits, resizing itself: a one-minute stall still fits.
  private final Recorder latencyMicros = new Recorder(3);

  SinkCounters(int holdTarget) {
    this.holdTarget = holdTarget;
  }

  /** Counts a call to /fast; true when it is the first for its task (or carries no task id). */
  boolean arrived(String taskId) {
    fastCalls.incrementAndGet();
    return taskId == null || fastTaskIds.add(taskId);
  }

  void recordLatency(long nanos) {
    latencyMicros.recordValue(Math.max(0, TimeUnit.NANOSECONDS.toMicros(nanos)));
  }

  void holdStarted() {
    int now = inFlight.incrementAndGet();
    // Racy by a few microseconds between two threads raising the peak at once; fine for a ramp in
    // seconds.
    if (now > peakInFlight.getAndAccumulate(now, Math::max))
      peakReachedAtNanos.set(System.nanoTime());
    if (now >= holdTarget) allInFlightAtNanos.compareAndSet(0, System.nanoTime());
  }

  void holdEnded(String taskId) {
    inFlight.decrementAndGet();
    if (taskId != null) heldTaskIds.add(taskId);
  }

  int distinctTasks() {
    return fastTaskIds.size();
  }

  long fastCalls() {
    return fastCalls.get();
  }

  int inFlight() {
    return inFlight.get();
  }

  int peakInFlight() {
    return peakInFlight.get();
  }

  /** When the holdTarget-th concurrent call arrived, on the nanoTime scale; 0 while it has not. */
  long allInFlightAtNanos() {
    return allInFlightAtNanos.get();
  }

  /** When the peak in flight was last raised, on the nanoTime scale; 0 before any hold. */
  long peakReachedAtNanos() {
    return peakReachedAtNanos.get();
  }

  int heldToEnd() {
    return heldTaskIds.size();
  }

  /**
   * The latencies recorded so far, in microseconds; the recorder starts afresh, so call it once.
   */
  Histogram drainLatencies() {
    return latencyMicros.getIntervalHistogram();
  }
}
