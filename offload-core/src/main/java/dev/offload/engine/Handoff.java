package dev.offload.engine;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands items from any thread to one dedicated thread that writes them in batches, in the order
 * they were handed over. Nothing is dropped: a full queue blocks the caller until there is room,
 * and {@link #close} writes everything handed over before it returns; an item handed over during or
 * after close is written by the caller itself.
 *
 * <p>Why: the engine's single hot threads (intake, claim, completer) set the pace of dispatch, so
 * they hand over a small record and the work of writing it happens here. After each batch the
 * writer lingers before looking again, so that under load callers find it awake and a burst costs
 * them an enqueue each rather than a wake-up each; when idle it waits for the next item.
 */
final class Handoff<T> implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Handoff.class);
  private static final Object STOP = new Object();

  private final BlockingQueue<Object> queue;
  private final Consumer<List<T>> writer;
  private final Duration linger;
  private final Thread thread;
  private volatile boolean closed;

  Handoff(String threadName, int capacity, Duration linger, Consumer<List<T>> writer) {
    this.queue = new ArrayBlockingQueue<>(capacity);
    this.writer = writer;
    this.linger = linger;
    this.thread = Thread.ofPlatform().name(threadName).daemon().unstarted(this::run);
  }

  /** Starts the writer thread; items handed over before wait for it. Once, and not after close. */
  synchronized void start() {
    if (!closed && thread.getState() == Thread.State.NEW) thread.start();
  }

  /** Hands {@code item} over; blocks while the queue is full. */
  void add(T item) {
    if (closed) {
      writeRemaining(item);
      return;
    }
    putUninterruptibly(item);
    // close() may have written what was left just before this put landed: then write it here.
    if (closed) writeRemaining(null);
  }

  private void run() {
    List<Object> batch = new ArrayList<>();
    boolean stop = false;
    while (!stop) {
      try {
        batch.add(queue.take());
        queue.drainTo(batch);
        stop = batch.remove(STOP);
        write(batch);
        batch.clear();
        if (!stop && queue.isEmpty()) Thread.sleep(linger);
      } catch (InterruptedException e) {
        // only STOP ends this thread (close() counts on it); nothing was taken and left unwritten
      }
    }
  }

  /**
   * Writes what is still queued, then {@code last} (if not null), on the calling thread once the
   * writer thread is gone; synchronized so that callers racing close keep their order.
   */
  private synchronized void writeRemaining(T last) {
    joinUninterruptibly();
    List<Object> rest = new ArrayList<>();
    queue.drainTo(rest);
    if (last != null) rest.add(last);
    write(rest);
  }

  @SuppressWarnings("unchecked")
  private void write(List<Object> items) {
    if (items.isEmpty()) return;
    try {
      writer.accept((List<T>) (List<?>) items);
    } catch (RuntimeException e) {
      log.warn("cannot write {} items: {}", items.size(), e.toString());
    }
  }

  @Override
  public synchronized void close() {
    if (closed) return;
    closed = true;
    // a writer that never started has nothing to stop: what was handed over is written here
    if (thread.getState() != Thread.State.NEW) putUninterruptibly(STOP);
    writeRemaining(null);
  }

  private void putUninterruptibly(Object item) {
    boolean interrupted = false;
    while (true) {
      try {
        queue.put(item);
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) Thread.currentThread().interrupt();
  }

  private void joinUninterruptibly() {
    boolean interrupted = false;
    while (thread.isAlive()) {
      try {
        thread.join();
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) Thread.currentThread().interrupt();
  }
}
