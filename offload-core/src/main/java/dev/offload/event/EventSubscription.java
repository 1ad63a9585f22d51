package dev.offload.event;

import dev.offload.task.TaskEvent;
import java.time.Duration;
import java.util.List;

/**
 * One subscriber's position in the event table. Not thread-safe: one stream reads it.
 *
 * <p>A task's own events are read without waiting for the high-water mark: they are written while
 * the task's row is locked, so their ids commit in order and no earlier one can still appear.
 */
public final class EventSubscription implements AutoCloseable {
  private final TaskEvents events;
  private final EventFilter filter;
  private long cursor;
  private long seenVersion = -1;
  private boolean closed;

  EventSubscription(TaskEvents events, EventFilter filter, long cursor) {
    this.events = events;
    this.filter = filter;
    this.cursor = cursor;
  }

  /**
   * The next events after the last one returned, at most {@code max}, each with its task as it is
   * now; waits up to {@code wait} for one, and returns an empty list when none came. A zero {@code
   * wait} reads what is there now and never waits.
   */
  public List<TaskEvent> next(int max, Duration wait) throws InterruptedException {
    long deadline = System.nanoTime() + wait.toNanos();
    boolean readNow = seenVersion == -1 || wait.isZero();
    while (true) {
      if (readNow) {
        seenVersion = events.version();
        readNow = false;
      } else {
        long left = (deadline - System.nanoTime()) / 1_000_000;
        if (left <= 0) return List.of();
        long now = events.awaitChange(seenVersion, left);
        if (now == seenVersion) return List.of();
        seenVersion = now;
      }
      long upTo = filter.taskId() != null ? Long.MAX_VALUE : events.committed();
      if (upTo <= cursor) continue;
      List<TaskEvent> batch =
          events.read(new EventQuery(cursor, upTo, filter.taskId(), filter.queue(), max, true));
      if (!batch.isEmpty()) cursor = batch.getLast().id();
      if (batch.size() < max && upTo != Long.MAX_VALUE) cursor = upTo;
      if (!batch.isEmpty()) return batch;
    }
  }

  /** The id of the last event this subscriber has passed. */
  public long cursor() {
    return cursor;
  }

  @Override
  public void close() {
    if (closed) return;
    closed = true;
    events.unsubscribe();
  }
}
