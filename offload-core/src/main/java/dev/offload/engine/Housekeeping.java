package dev.offload.engine;

import dev.offload.cluster.NodeInfo;
import dev.offload.event.EventsConfig;
import dev.offload.metrics.QueueGauges;
import dev.offload.store.JdbcStore;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's periodic chores on one background thread: the node heartbeat, store maintenance,
 * saving the workers seen, purging expired idempotency keys, refreshing the queue gauges, pruning
 * old events, old schedule slot records and old minutes of the queue rollup. Each chore logs and
 * survives its own failure, so a database hiccup never stops the others.
 */
final class Housekeeping implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Housekeeping.class);

  /** Slot records older than this are forgotten: long past their slot, they guard nothing. */
  static final Duration SCHEDULE_RUNS_KEPT = Duration.ofDays(7);

  private final ScheduledExecutorService thread =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform().name("offload-housekeeping").daemon().factory());
  private final AtomicBoolean started = new AtomicBoolean();
  private final JdbcStore store;
  private final Clock clock;
  private final NodeInfo node;
  private final QueueGauges gauges;
  private final Duration gaugeRefresh;
  private final EventsConfig events;
  private final WorkerRegistry workers;

  Housekeeping(
      JdbcStore store,
      Clock clock,
      NodeInfo node,
      QueueGauges gauges,
      Duration gaugeRefresh,
      EventsConfig events,
      WorkerRegistry workers) {
    this.store = store;
    this.clock = clock;
    this.node = node;
    this.gauges = gauges;
    this.gaugeRefresh = gaugeRefresh;
    this.events = events;
    this.workers = workers;
  }

  /** Schedules every chore; once. */
  void start() {
    if (!started.compareAndSet(false, true)) return;
    every(
        "node heartbeat",
        Duration.ofSeconds(1),
        Duration.ofSeconds(1),
        () ->
            store
                .nodes()
                .heartbeat(
                    new NodeInfo(
                        node.id(),
                        node.host(),
                        node.version(),
                        node.startedAt(),
                        clock.instant(),
                        null)));
    every("store maintenance", Duration.ofSeconds(1), Duration.ofSeconds(1), store::maintain);
    every(
        "purging idempotency keys",
        Duration.ofMinutes(1),
        Duration.ofMinutes(10),
        () -> {
          int purged = store.inserts().purgeExpiredKeys(clock.instant());
          if (purged > 0) log.info("forgot {} expired idempotency keys", purged);
        });
    every(
        "saving the workers seen",
        WorkerRegistry.SAVE_EVERY,
        WorkerRegistry.SAVE_EVERY,
        workers::save);
    every("counting tasks for the queue gauges", Duration.ZERO, gaugeRefresh, gauges::refresh);
    every(
        "pruning old task events",
        Duration.ofSeconds(10),
        Duration.ofSeconds(10),
        () ->
            store
                .events()
                .pruneEvents(clock.instant().minus(events.retention()), events.maxKept()));
    every(
        "pruning the queue minutes rollup",
        Duration.ofMinutes(1),
        Duration.ofMinutes(1),
        () -> store.queues().pruneQueueMinutes(clock.instant()));
    every(
        "pruning old schedule slot records",
        Duration.ofMinutes(1),
        Duration.ofHours(1),
        () -> {
          int pruned = store.schedules().pruneRuns(clock.instant().minus(SCHEDULE_RUNS_KEPT));
          if (pruned > 0)
            log.info("forgot {} schedule slot records older than {}", pruned, SCHEDULE_RUNS_KEPT);
        });
  }

  private void every(String chore, Duration first, Duration period, Runnable work) {
    thread.scheduleWithFixedDelay(
        () -> {
          try {
            work.run();
          } catch (RuntimeException e) {
            log.warn("{} failed: {}", chore, e.getMessage());
          }
        },
        first.toMillis(),
        period.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  /** Stops every chore; idempotent. */
  @Override
  public void close() {
    thread.shutdownNow();
  }
}
