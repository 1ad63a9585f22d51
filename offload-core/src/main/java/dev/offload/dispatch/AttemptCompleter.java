package dev.offload.dispatch;

import dev.offload.store.FinishedAttempt;
import dev.offload.store.Store;
import dev.offload.store.StoreException;
import dev.offload.task.TaskId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes finished attempts in batches: whatever finished while the previous batch was being
 * committed goes in the next transaction. While storage is down the results wait here and are
 * written when it answers again.
 */
final class AttemptCompleter implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AttemptCompleter.class);
  private static final int MAX_BATCH = 1_000;
  private static final long MAX_RETRY_WAIT_MS = 5_000;

  private final Store store;
  private final AttemptListener listener;
  private final LinkedBlockingQueue<FinishedAttempt> queue = new LinkedBlockingQueue<>();
  private final Thread thread;
  private volatile boolean running = true;

  AttemptCompleter(Store store, AttemptListener listener) {
    this.store = store;
    this.listener = listener;
    this.thread = Thread.ofPlatform().name("offload-completer").daemon().start(this::run);
  }

  void submit(FinishedAttempt attempt) {
    queue.add(attempt);
  }

  private void run() {
    List<FinishedAttempt> batch = new ArrayList<>();
    while (running || !queue.isEmpty()) {
      try {
        FinishedAttempt first = queue.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) continue;
        batch.add(first);
        queue.drainTo(batch, MAX_BATCH - 1);
        writeUntilStored(batch);
        batch.clear();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        log.error("dropping {} finished attempts after an unexpected error", batch.size(), e);
        batch.clear();
      }
    }
  }

  private void writeUntilStored(List<FinishedAttempt> batch) throws InterruptedException {
    long waitMs = 50;
    while (true) {
      try {
        Set<TaskId> applied = new HashSet<>(store.finish(batch));
        listener.applied(batch.stream().filter(a -> applied.contains(a.attempt().taskId())).toList());
        return;
      } catch (StoreException e) {
        log.warn("cannot record {} finished attempts, retrying in {}ms: {}", batch.size(), waitMs, e.getMessage());
        Thread.sleep(waitMs);
        waitMs = Math.min(MAX_RETRY_WAIT_MS, waitMs * 2);
      }
    }
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    thread.join(10_000);
  }
}
