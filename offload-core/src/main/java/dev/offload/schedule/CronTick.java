package dev.offload.schedule;

import dev.offload.store.ScheduleStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fires the due slots of every schedule. Every node runs one; the store makes each slot fire once.
 * The loop sleeps until the earliest next run, at most {@link #MAX_SLEEP}, so a schedule changed on
 * another node is seen within that time without any signal.
 */
public final class CronTick implements Runnable {
  static final Duration MAX_SLEEP = Duration.ofSeconds(1);
  private static final Logger log = LoggerFactory.getLogger(CronTick.class);
  private static final int BATCH = 100;

  private final ScheduleStore store;
  private final Clock clock;
  private final Consumer<Instant> onFired;
  private final Object monitor = new Object();
  private boolean woken;
  private volatile boolean running = true;

  /** The time the last finished round fired for; null before the first. */
  private volatile Instant lastRoundAt;

  /** {@code onFired} hears the time a run's task became due, after its commit. */
  public CronTick(ScheduleStore store, Clock clock, Consumer<Instant> onFired) {
    this.store = store;
    this.clock = clock;
    this.onFired = onFired;
  }

  /**
   * The time the last finished round fired for: every slot due then was fired (or skipped, for a
   * paused schedule). Tests wait for a round after a change instead of sleeping; empty before the
   * first.
   */
  public Optional<Instant> lastRoundAt() {
    return Optional.ofNullable(lastRoundAt);
  }

  /** Fires what is due now; returns how many tasks it created. */
  public int tick() {
    Instant now = clock.instant();
    int fired = 0;
    List<Schedule> due;
    int batches = 0;
    do {
      due = store.due(now, BATCH);
      for (Schedule schedule : due) {
        try {
          if (fireLatest(schedule, now)) fired++;
        } catch (RuntimeException e) {
          log.warn("schedule {} could not fire: {}", schedule.name(), e.getMessage());
        }
      }
    } while (due.size() == BATCH && ++batches < 10);
    if (fired > 0) onFired.accept(now);
    lastRoundAt = now;
    return fired;
  }

  private boolean fireLatest(Schedule schedule, Instant now) {
    CronSpec cron = schedule.definition().cron();
    Instant slot = cron.latestAtOrBefore(now);
    if (slot == null || slot.isBefore(schedule.nextRunAt())) slot = schedule.nextRunAt();
    Instant next = cron.nextAfter(now);
    boolean late = Duration.between(slot, now).compareTo(CatchUp.LATE_AFTER) > 0;
    if (late && schedule.definition().catchUp() == CatchUp.NONE) {
      if (store.advance(schedule.name(), schedule.nextRunAt(), next)) {
        log.info(
            "schedule {} missed its slots from {} to {} (catchUp none); next run {}",
            schedule.name(),
            schedule.nextRunAt(),
            slot,
            next);
      }
      return false;
    }
    return switch (store.fire(schedule, slot, next, now)) {
      case FireResult.Fired f -> {
        if (slot.isAfter(schedule.nextRunAt())) {
          log.info(
              "schedule {} missed slots from {}; fired the latest one only",
              schedule.name(),
              schedule.nextRunAt());
        }
        log.info("schedule {} slot {} created task {}", schedule.name(), slot, f.taskId());
        yield true;
      }
      case FireResult.Skipped s -> {
        log.info(
            "schedule {} skipped slot {}: task {} of the previous run is unfinished (overlap skip)",
            schedule.name(),
            slot,
            s.unfinished());
        yield false;
      }
      case FireResult.Lost l -> false;
    };
  }

  /** Makes the loop look again now (a schedule was created or changed on this node). */
  public void wake() {
    synchronized (monitor) {
      woken = true;
      monitor.notifyAll();
    }
  }

  @Override
  public void run() {
    while (running) {
      Duration sleep = MAX_SLEEP;
      try {
        tick();
        sleep = untilNextRun();
      } catch (RuntimeException e) {
        log.warn(
            "schedule tick failed, trying again in {} ms: {}",
            MAX_SLEEP.toMillis(),
            e.getMessage());
      }
      try {
        synchronized (monitor) {
          if (!woken && running) monitor.wait(Math.max(1, sleep.toMillis()));
          woken = false;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private Duration untilNextRun() {
    Instant next = store.nextRunAt().orElse(null);
    if (next == null) return MAX_SLEEP;
    Duration wait = Duration.between(clock.instant(), next);
    return wait.compareTo(MAX_SLEEP) > 0 ? MAX_SLEEP : wait.isNegative() ? Duration.ZERO : wait;
  }

  /** Ends {@link #run} at its next wake-up. */
  public void stop() {
    running = false;
    wake();
  }
}
