package dev.offload.engine;

import dev.offload.bulk.BulkAction;
import dev.offload.bulk.BulkBatch;
import dev.offload.bulk.BulkVerb;
import dev.offload.store.BulkActions;
import dev.offload.task.TaskId;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs bulk actions on any node: claims a running one with a lease (so no two nodes run the same),
 * counts the tasks it matches, then walks them in id order from its saved cursor, a batch per
 * transaction. A node that dies leaves the lease to expire; whoever claims it next goes on from the
 * cursor, and since a batch and the cursor commit together no task is acted on twice.
 *
 * <p>Paced as the {@link Purger}: on SQLite a batch is sized to take about {@link
 * PaceOfBatches#BATCH_TIME} (at most {@link #BATCH} tasks) and writers queued meanwhile go first,
 * and after each batch the runner rests {@link PaceOfBatches#REST_PER_WORK} times as long as it
 * took, so a million matched tasks never hold up intake, claims and finishes. Finished actions are
 * forgotten after {@link #KEPT}.
 */
final class BulkRunner implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(BulkRunner.class);
  static final Duration INTERVAL = Duration.ofSeconds(1);
  static final Duration LEASE = Duration.ofSeconds(60);
  static final int BATCH = 200;
  static final Duration KEPT = Duration.ofDays(7);
  private static final Duration FORGET_EVERY = Duration.ofMinutes(10);

  /** What follows a committed batch, as after the single-task action (signals, workers). */
  @FunctionalInterface
  interface Effects {
    void acted(BulkVerb verb, List<BulkBatch.Acted> acted);
  }

  private final BulkActions store;
  private final Clock clock;
  private final String owner;
  private final Effects effects;
  private final int batch;
  private final boolean writersTakeTurns;
  private final Semaphore wake = new Semaphore(0);
  private final CountDownLatch closed = new CountDownLatch(1);
  private final Thread thread;
  private volatile Instant lastForget = Instant.MIN;

  BulkRunner(
      BulkActions store,
      Clock clock,
      String owner,
      Effects effects,
      int batch,
      boolean writersTakeTurns) {
    this.store = store;
    this.clock = clock;
    this.owner = owner;
    this.effects = effects;
    this.batch = batch;
    this.writersTakeTurns = writersTakeTurns;
    this.thread = Thread.ofPlatform().name("offload-bulk").daemon().unstarted(this::loop);
  }

  void start() {
    thread.start();
  }

  /** An action was started here: look now rather than at the next interval. */
  void wake() {
    if (wake.availablePermits() == 0) wake.release();
  }

  private void loop() {
    while (!isClosed()) {
      try {
        round();
      } catch (RuntimeException e) {
        log.warn("bulk actions failed: {}", e.getMessage());
      }
      try {
        if (wake.tryAcquire(INTERVAL.toMillis(), TimeUnit.MILLISECONDS)) wake.drainPermits();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** Runs every action this node can claim to its end (or until it closes). */
  void round() {
    Instant now = clock.instant();
    if (!now.isBefore(lastForget.plus(FORGET_EVERY))) {
      lastForget = now;
      int forgotten = store.forgetFinished(now.minus(KEPT));
      if (forgotten > 0) log.info("forgot {} bulk actions finished over {} ago", forgotten, KEPT);
    }
    while (!isClosed()) {
      Optional<BulkAction> claimed = store.claim(owner, clock.instant(), LEASE);
      if (claimed.isEmpty()) return;
      run(claimed.get());
    }
  }

  private void run(BulkAction claimed) {
    BulkAction action = claimed;
    if (action.matched() == null) {
      long matched = store.count(action.filter(), action.uptoTaskId());
      if (!store.counted(action.id(), owner, matched, clock.instant().plus(LEASE))) return;
      log.info(
          "bulk action {} ({} {}) matches {} tasks",
          action.id(),
          action.verb().wire(),
          action.filter().canonical(),
          matched);
    }
    PaceOfBatches pace = PaceOfBatches.upTo(batch, writersTakeTurns);
    while (!isClosed()) {
      int size = pace.size();
      long start = System.nanoTime();
      List<TaskId> ids = store.next(action, size);
      boolean last = ids.size() < size;
      Instant now = clock.instant();
      BulkBatch result = store.apply(action, owner, ids, last, now, now.plus(LEASE));
      long took = System.nanoTime() - start;
      pace.took(took, ids.size());
      if (!(result instanceof BulkBatch.Applied applied)) return;
      effects.acted(action.verb(), applied.acted());
      if (!ids.isEmpty()) action = action.withCursor(ids.getLast().value());
      if (applied.finished()) {
        log.info("bulk action {} finished", action.id());
        return;
      }
      if (rested(PaceOfBatches.restNanos(took))) return;
    }
  }

  /** Waits {@code nanos}; true if the runner closed meanwhile. */
  private boolean rested(long nanos) {
    try {
      return closed.await(nanos, TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return true;
    }
  }

  private boolean isClosed() {
    return closed.getCount() == 0;
  }

  /**
   * Stops after the batch in progress; the action's lease is left to expire (or is taken back when
   * a single-node store starts again). Idempotent, safe before start.
   */
  @Override
  public void close() {
    if (isClosed()) return;
    closed.countDown();
    wake.release();
    try {
      if (thread.isAlive() && !thread.join(Duration.ofSeconds(10)))
        log.warn("bulk actions still busy after 10 s; closing anyway");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
