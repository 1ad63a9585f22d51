package dev.offload.engine;

import java.time.Duration;

/**
 * The size of the purger's next batch, halved after a batch that took longer than a target and
 * doubled after a full one that took less than half of it. SQLite has one writer: a batch that
 * deletes 500 tasks with their attempts, events and counters holds it for a quarter of a second on
 * a busy machine, and intake, claims and finishes queue behind it. Near the target, they wait at
 * most that long, whatever the machine.
 */
final class PaceOfBatches {
  /** How long a batch should hold the writer where writers take turns. */
  static final Duration BATCH_TIME = Duration.ofMillis(25);

  /** After a full batch, the rest is this many times as long as the batch took. */
  static final int REST_PER_WORK = 3;

  private static final int SMALLEST_BATCH = 10;

  private final int min;
  private final int max;
  private final long targetNanos;
  private int size;

  PaceOfBatches(int min, int max, Duration target) {
    if (min < 1 || max < min)
      throw new IllegalArgumentException("need 1 <= min <= max, got " + min + ", " + max);
    this.min = min;
    this.max = max;
    this.targetNanos = target.toNanos();
    this.size = min;
  }

  /**
   * Batches of up to {@code batch}: paced to {@link #BATCH_TIME} from {@value #SMALLEST_BATCH}
   * where writers take turns (SQLite), always full elsewhere.
   */
  static PaceOfBatches upTo(int batch, boolean writersTakeTurns) {
    return new PaceOfBatches(
        writersTakeTurns ? Math.min(SMALLEST_BATCH, batch) : batch, batch, BATCH_TIME);
  }

  int size() {
    return size;
  }

  /** The rest after a batch that took {@code tookNanos}. */
  static long restNanos(long tookNanos) {
    return tookNanos * REST_PER_WORK;
  }

  /** Records that a batch of {@link #size()} deleted {@code done} rows in {@code nanos}. */
  void took(long nanos, int done) {
    if (nanos > targetNanos) {
      size = Math.max(min, size / 2);
    } else if (done == size && nanos < targetNanos / 2) {
      size = Math.min(max, size * 2);
    }
  }
}
