package dev.offload.bench;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * What W2's passes drive: Offload's server, or the BullMQ peer behind the same create API. The
 * bench's client sends the creates and its sink receives the calls; this is the system's side.
 */
interface TaskSystem {
  /** Where the create API's {@code path} is ({@code /v1/tasks}, {@code /v1/tasks/batch}). */
  URI uri(String path);

  /**
   * Waits until {@code sinkDone} holds and then until the system has no task left unfinished, and
   * fails if one failed; returns when, on the nanoTime scale.
   */
  long awaitDone(BooleanSupplier sinkDone, Duration within, String what)
      throws InterruptedException;

  /** The processes doing the system's work, by name, for {@link CpuMeter}. */
  Map<String, CpuMeter.Pids> processes();
}
