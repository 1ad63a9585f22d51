package dev.offload.schedule;

import dev.offload.store.ScheduleStore;
import dev.offload.task.TaskId;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Schedules as the engine offers them: declare, read, pause, trigger; and the {@link CronTick} that
 * fires them.
 */
public final class Scheduler implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Scheduler.class);

  private final ScheduleStore store;
  private final Clock clock;
  private final Consumer<Instant> onFired;
  private final CronTick tick;
  private final AtomicBoolean started = new AtomicBoolean();
  private final Thread thread;

  /** {@code onFired} hears the time a new run's task became due, after its commit. */
  public Scheduler(ScheduleStore store, Clock clock, Consumer<Instant> onFired) {
    this.store = store;
    this.clock = clock;
    this.onFired = onFired;
    this.tick = new CronTick(store, clock, onFired);
    this.thread = Thread.ofPlatform().name("offload-cron").daemon().unstarted(tick);
  }

  /** Starts firing due slots; once. */
  public void start() {
    if (started.compareAndSet(false, true)) thread.start();
  }

  /**
   * The time the cron loop's last finished round fired for (see {@link CronTick#lastRoundAt()}).
   */
  public Optional<Instant> lastRoundAt() {
    return tick.lastRoundAt();
  }

  /** Creates or replaces a schedule (idempotent for an identical definition). */
  public PutResult put(ScheduleDefinition definition) {
    PutResult result = store.upsert(definition, clock.instant());
    if (result.created())
      log.info(
          "schedule {} created: {} ({})",
          definition.name(),
          definition.cron().text(),
          definition.timezone());
    tick.wake();
    return result;
  }

  public Optional<Schedule> find(String name) {
    return store.find(name);
  }

  public List<Schedule> list() {
    return store.list();
  }

  public boolean delete(String name) {
    boolean deleted = store.delete(name);
    if (deleted) log.info("schedule {} deleted", name);
    return deleted;
  }

  public Optional<Schedule> pause(String name) {
    return store.setPaused(name, true, clock.instant());
  }

  public Optional<Schedule> resume(String name) {
    Optional<Schedule> resumed = store.setPaused(name, false, clock.instant());
    tick.wake();
    return resumed;
  }

  /**
   * Creates a run now, whatever the cron says and whether paused or not; empty if there is no such
   * schedule.
   */
  public Optional<TaskId> trigger(String name) {
    Instant now = clock.instant();
    Optional<TaskId> task = store.trigger(name, now);
    task.ifPresent(
        id -> {
          log.info("schedule {} triggered by hand: task {}", name, id);
          onFired.accept(now);
        });
    return task;
  }

  /** Stops the tick after the round in progress; idempotent. */
  @Override
  public void close() throws InterruptedException {
    tick.stop();
    if (thread.isAlive()) thread.join(10_000);
  }
}
