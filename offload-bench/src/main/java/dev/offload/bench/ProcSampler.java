package dev.offload.bench;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Samples a process's {@link ProcStatus} on a background thread and keeps the maximum of each
 * field.
 */
final class ProcSampler implements AutoCloseable {
  private final long pid;
  private final Duration interval;
  private final AtomicReference<ProcStatus> peak = new AtomicReference<>();
  private final Thread thread;

  ProcSampler(long pid, Duration interval) {
    this.pid = pid;
    this.interval = interval;
    this.thread =
        Thread.ofPlatform().daemon().name("bench-proc-sampler").start(this::sampleUntilInterrupted);
  }

  private void sampleUntilInterrupted() {
    while (!Thread.currentThread().isInterrupted()) {
      sample();
      try {
        Thread.sleep(interval);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private void sample() {
    ProcStatus.read(pid)
        .ifPresent(now -> peak.accumulateAndGet(now, (a, b) -> a == null ? b : a.max(b)));
  }

  /** The maxima so far, including a last sample taken now; empty without /proc. */
  Optional<ProcStatus> peak() {
    sample();
    return Optional.ofNullable(peak.get());
  }

  @Override
  public void close() {
    // The sampler stops at its next sleep; nothing waits on it.
    thread.interrupt();
  }
}
