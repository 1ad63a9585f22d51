package dev.offload.engine;

import dev.offload.store.PurgedBatch;
import dev.offload.store.Purges;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntUnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retention: every {@link #INTERVAL} deletes the finished tasks whose purge time has passed, with
 * their attempts, events and idempotency keys, and forgets nodes silent for {@link #NODES_KEPT} and
 * workers that have not asked for work for {@link #WORKERS_KEPT}.
 *
 * <p>Each batch is a transaction of its own, and a round runs batches until one comes back short.
 * On SQLite a batch is sized to take about {@link PaceOfBatches#BATCH_TIME} (at most {@link #BATCH}
 * tasks), and between two batches every write that queued meanwhile goes first (SQLite writers take
 * turns in arrival order), so a backlog of millions never holds up intake, claims or finishes for
 * longer than that. After each full batch the purger rests {@link PaceOfBatches#REST_PER_WORK}
 * times as long as the batch took: deleting at full speed (44,000 tasks/s on SQLite) took a third
 * of W2's throughput, and no retention is that urgent. On PostgreSQL every node purges and the
 * batches skip rows another node has locked, so no two nodes delete the same task.
 */
final class Purger implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Purger.class);
  static final Duration INTERVAL = Duration.ofSeconds(10);
  static final int BATCH = 1_000;

  /** A node whose heartbeat stopped this long ago leaves {@code GET /v1/nodes} for good. */
  static final Duration NODES_KEPT = Duration.ofDays(1);

  /** A worker that has not asked for work this long leaves {@code GET /v1/workers}. */
  static final Duration WORKERS_KEPT = Duration.ofDays(1);

  private final Purges store;
  private final Clock clock;
  private final PaceOfBatches pace;
  private final ScheduledExecutorService thread =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform().name("offload-purger").daemon().factory());
  private final CountDownLatch closed = new CountDownLatch(1);

  /**
   * @param writersTakeTurns true on SQLite: a batch holds the one writer's turn, so batches are
   *     paced to {@link PaceOfBatches#BATCH_TIME}. On PostgreSQL a batch locks only the finished
   *     tasks it deletes and holds up no one, while each batch pays its round trips and its
   *     commit's WAL flush: paced to 25 ms it stayed at 10 tasks a batch and purged 130 tasks/s, so
   *     there every batch is full.
   */
  Purger(Purges store, Clock clock, int batch, boolean writersTakeTurns) {
    this.store = store;
    this.clock = clock;
    this.pace = PaceOfBatches.upTo(batch, writersTakeTurns);
  }

  void start() {
    thread.scheduleWithFixedDelay(
        () -> {
          try {
            round();
          } catch (RuntimeException e) {
            log.warn("purging finished tasks failed: {}", e.getMessage());
          }
        },
        INTERVAL.toMillis(),
        INTERVAL.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  /**
   * One round: purge times for tasks older than retention, then every due task, then old nodes and
   * workers. Returns the tasks deleted.
   */
  int round() {
    inBatches(store::settlePurgeTimes);
    // Each round starts at the bottom again: a task another node had locked, whose delete rolled
    // back, sits below where this round has got to.
    long[] from = {0};
    int deleted =
        inBatches(
            size -> {
              PurgedBatch batch = store.purgeFinished(from[0], clock.instant(), size);
              from[0] = batch.upTo();
              return batch.tasks();
            });
    if (deleted > 0) log.info("deleted {} finished tasks past their retention", deleted);
    int nodes = store.forgetNodes(clock.instant().minus(NODES_KEPT));
    if (nodes > 0) log.info("forgot {} nodes silent for more than {}", nodes, NODES_KEPT);
    int workers = store.forgetWorkers(clock.instant().minus(WORKERS_KEPT));
    if (workers > 0)
      log.info("forgot {} workers that have not asked for work for {}", workers, WORKERS_KEPT);
    return deleted;
  }

  /**
   * Runs {@code batch} at the paced size until one comes back short or the purger closes; returns
   * the rows it did.
   */
  private int inBatches(IntUnaryOperator batch) {
    int total = 0;
    while (closed.getCount() > 0) {
      int size = pace.size();
      long start = System.nanoTime();
      int done = batch.applyAsInt(size);
      long took = System.nanoTime() - start;
      pace.took(took, done);
      total += done;
      if (done < size || rested(PaceOfBatches.restNanos(took))) break;
    }
    return total;
  }

  /** Waits {@code nanos}; true if the purger closed meanwhile. */
  private boolean rested(long nanos) {
    try {
      return closed.await(nanos, TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return true;
    }
  }

  /** Stops after the batch in progress; idempotent. */
  @Override
  public void close() {
    closed.countDown();
    thread.shutdown();
    try {
      if (!thread.awaitTermination(10, TimeUnit.SECONDS))
        log.warn("purger still busy after 10 s; closing anyway");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
