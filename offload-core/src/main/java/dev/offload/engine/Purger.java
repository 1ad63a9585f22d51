package dev.offload.engine;

import dev.offload.store.Purges;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retention: every {@link #INTERVAL} deletes the finished tasks whose purge time has passed, with
 * their attempts, events and idempotency keys, and forgets nodes silent for {@link #NODES_KEPT}.
 *
 * <p>Each batch of {@link #BATCH} tasks is a transaction of its own, and a round runs batches one
 * after another until one comes back short. Between two batches every write that queued meanwhile
 * goes first (SQLite writers take turns in arrival order), so a backlog of millions never holds
 * up intake, claims or finishes for longer than one batch. On PostgreSQL every node purges and
 * the batches skip rows another node has locked, so no two nodes delete the same task.
 */
final class Purger implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Purger.class);
  static final Duration INTERVAL = Duration.ofSeconds(10);
  static final int BATCH = 500;
  /** A node whose heartbeat stopped this long ago leaves {@code GET /v1/nodes} for good. */
  static final Duration NODES_KEPT = Duration.ofDays(1);

  private final Purges store;
  private final Clock clock;
  private final int batch;
  private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(
      Thread.ofPlatform().name("offload-purger").daemon().factory());
  private volatile boolean open = true;

  Purger(Purges store, Clock clock, int batch) {
    this.store = store;
    this.clock = clock;
    this.batch = batch;
  }

  void start() {
    thread.scheduleWithFixedDelay(() -> {
      try {
        round();
      } catch (RuntimeException e) {
        log.warn("purging finished tasks failed: {}", e.getMessage());
      }
    }, INTERVAL.toMillis(), INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** One round: purge times for tasks older than retention, then every due task, then old nodes. Returns the tasks deleted. */
  int round() {
    int settled;
    do settled = store.settlePurgeTimes(batch); while (open && settled == batch);
    int deleted = 0;
    int last = batch;
    while (open && last == batch) {
      last = store.purgeFinished(clock.instant(), batch);
      deleted += last;
    }
    if (deleted > 0) log.info("deleted {} finished tasks past their retention", deleted);
    int nodes = store.forgetNodes(clock.instant().minus(NODES_KEPT));
    if (nodes > 0) log.info("forgot {} nodes silent for more than {}", nodes, NODES_KEPT);
    return deleted;
  }

  /** Stops after the batch in progress; idempotent. */
  @Override
  public void close() {
    open = false;
    thread.shutdown();
    try {
      if (!thread.awaitTermination(10, TimeUnit.SECONDS)) log.warn("purger still busy after 10 s; closing anyway");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
