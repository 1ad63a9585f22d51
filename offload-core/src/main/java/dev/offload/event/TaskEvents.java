package dev.offload.event;

import dev.offload.store.EventLog;
import dev.offload.task.TaskEvent;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the {@code events} table for live subscribers, on this node and across nodes (every node
 * writes its events to the shared table; each node follows the table, not its own work).
 *
 * <p>Why a high-water mark with a gap wait: on PostgreSQL an event id is taken at insert and
 * becomes visible at commit, so id 11 can be visible before id 10. {@link #committed} only moves
 * past a missing id once it appears or has been missing for {@code gapWait} (a rolled-back
 * transaction leaves a hole forever), so a subscriber reading up to it never skips a late commit.
 * The poller runs only while someone subscribes; subscribers read the store at their own pace, so a
 * slow reader holds nothing of the engine's.
 */
public final class TaskEvents implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(TaskEvents.class);
  private static final int POLL_BATCH = 5_000;

  private final EventLog store;
  private final EventsConfig config;
  private final Object lock = new Object();
  private final Thread poller;
  private final AtomicBoolean started = new AtomicBoolean();
  private volatile boolean running = true;

  /** Every event with an id up to here is visible, or was given up as a hole. */
  private long committed;

  /**
   * Counts the poller's rounds that moved {@link #committed}; subscribers wait for it to change.
   */
  private long version;

  private int subscribers;
  private boolean wakeRequested;
  private long gapSinceNanos;

  public TaskEvents(EventLog store, EventsConfig config) {
    this.store = store;
    this.config = config;
    this.poller = Thread.ofPlatform().name("offload-events").daemon().unstarted(this::pollLoop);
  }

  /** Starts following the table (the poller sleeps while no one subscribes); once. */
  public void start() {
    if (started.compareAndSet(false, true)) poller.start();
  }

  /**
   * Follows events after {@code afterId}, or from now when it is null; of one task or one queue
   * when given. Throws {@link TooManySubscribersException} at {@link
   * EventsConfig#maxSubscribers()}.
   */
  public EventSubscription subscribe(Long afterId, EventFilter filter) {
    synchronized (lock) {
      if (subscribers >= config.maxSubscribers())
        throw new TooManySubscribersException(config.maxSubscribers());
      if (subscribers == 0) {
        committed = store.lastEventId();
        gapSinceNanos = 0;
      }
      subscribers++;
      lock.notifyAll();
      return new EventSubscription(this, filter, afterId != null ? afterId : committed);
    }
  }

  void unsubscribe() {
    synchronized (lock) {
      subscribers--;
    }
  }

  /** Something was committed on this node: look now rather than at the next poll. */
  public void changed() {
    synchronized (lock) {
      if (subscribers == 0) return;
      wakeRequested = true;
      lock.notifyAll();
    }
  }

  long committed() {
    synchronized (lock) {
      return committed;
    }
  }

  /**
   * Waits until the poller moved on from {@code seen} or {@code millis} passed; returns the version
   * now.
   */
  long awaitChange(long seen, long millis) throws InterruptedException {
    long deadline = System.nanoTime() + millis * 1_000_000;
    synchronized (lock) {
      while (version == seen && running) {
        long left = (deadline - System.nanoTime()) / 1_000_000;
        if (left <= 0) break;
        lock.wait(left);
      }
      return version;
    }
  }

  long version() {
    synchronized (lock) {
      return version;
    }
  }

  List<TaskEvent> read(EventQuery query) {
    return store.events(query);
  }

  private void pollLoop() {
    while (running) {
      try {
        long from;
        synchronized (lock) {
          while (running && subscribers == 0) lock.wait();
          from = committed;
        }
        List<TaskEvent> fresh =
            store.events(new EventQuery(from, Long.MAX_VALUE, null, null, POLL_BATCH, false));
        long reached = contiguousEnd(from, fresh);
        synchronized (lock) {
          if (reached > committed) {
            committed = reached;
            version++;
            lock.notifyAll();
          }
          if (fresh.size() < POLL_BATCH || reached == from) {
            if (!wakeRequested) lock.wait(config.pollInterval().toMillis());
            wakeRequested = false;
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        log.warn(
            "cannot follow task events, trying again in {}ms: {}",
            config.pollInterval().toMillis(),
            e.getMessage());
        sleepQuietly(config.pollInterval());
      }
    }
  }

  /**
   * The last id up to which {@code fresh} (ids after {@code from}) has no hole younger than the gap
   * wait.
   */
  private long contiguousEnd(long from, List<TaskEvent> fresh) {
    long reached = from;
    for (TaskEvent event : fresh) {
      if (event.id() != reached + 1) {
        long now = System.nanoTime();
        if (gapSinceNanos == 0) gapSinceNanos = now;
        if (now - gapSinceNanos < config.gapWait().toNanos()) return reached;
      }
      gapSinceNanos = 0;
      reached = event.id();
    }
    return reached;
  }

  private static void sleepQuietly(Duration duration) {
    try {
      Thread.sleep(duration);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Stops the poller and ends subscribers' waits; idempotent. */
  @Override
  public void close() throws InterruptedException {
    running = false;
    synchronized (lock) {
      lock.notifyAll();
    }
    poller.interrupt();
    if (poller.isAlive()) poller.join(5_000);
  }
}
