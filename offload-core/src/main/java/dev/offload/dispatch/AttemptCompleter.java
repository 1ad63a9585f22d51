package dev.offload.dispatch;

import dev.offload.store.Completion;
import dev.offload.store.StoreException;
import dev.offload.task.FinishedAttempt;
import dev.offload.task.TaskId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes finished attempts in batches: whatever finished while the previous batch was being
 * committed, or within the {@link CommitPace} after it began, goes in the next transaction. Nothing
 * is dropped. While storage is down the results wait here and are written when it answers again. An
 * unexpected error, which may come from one attempt's data, splits the batch until the attempt that
 * fails is alone; that one is set aside and tried again with a growing wait, so it holds up no
 * other task. Until its attempt is stored a task's lease stays this node's ({@link #isPending}), so
 * no reaper runs it a second time.
 */
final class AttemptCompleter implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AttemptCompleter.class);
  private static final int MAX_BATCH = 1_000;
  private static final long FIRST_RETRY_WAIT_MS = 50;
  private static final long MAX_RETRY_WAIT_MS = 5_000;
  private static final long MAX_SET_ASIDE_WAIT_MS = 60_000;

  private record SetAside(FinishedAttempt attempt, long retryAtMillis) {}

  private final Completion store;
  private final AttemptListener listener;
  private final CommitPace pace;
  private final LinkedBlockingQueue<FinishedAttempt> queue = new LinkedBlockingQueue<>();
  private final Map<TaskId, Integer> pending = new ConcurrentHashMap<>();
  private final List<SetAside> setAside = new ArrayList<>();

  /**
   * The next wait of each attempt that failed alone, doubling each time; read by the writer thread
   * only.
   */
  private final Map<FinishedAttempt, Long> setAsideWaits = new IdentityHashMap<>();

  private final Thread thread;
  private volatile boolean running = true;

  AttemptCompleter(Completion store, AttemptListener listener, CommitPace pace) {
    this.store = store;
    this.listener = listener;
    this.pace = pace;
    this.thread = Thread.ofPlatform().name("offload-completer").daemon().unstarted(this::run);
  }

  /** Starts writing; what was submitted before waits for it. */
  void start() {
    thread.start();
  }

  void submit(FinishedAttempt attempt) {
    pending.merge(attempt.attempt().taskId(), 1, Integer::sum);
    queue.add(attempt);
  }

  /** Whether an attempt of {@code id} was submitted and is not stored yet. */
  boolean isPending(TaskId id) {
    return pending.containsKey(id);
  }

  int pendingCount() {
    return pending.size();
  }

  private void run() {
    List<FinishedAttempt> batch = new ArrayList<>();
    while (running || !queue.isEmpty()) {
      try {
        FinishedAttempt first = queue.poll(pollMillis(), TimeUnit.MILLISECONDS);
        if (first != null) {
          batch.add(first);
          pace.awaitTurn();
        }
        queue.drainTo(batch, MAX_BATCH - batch.size());
        takeDueSetAside(batch);
        if (!batch.isEmpty()) write(batch);
        batch.clear();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private long pollMillis() {
    long now = System.currentTimeMillis();
    return setAside.stream().mapToLong(s -> Math.max(0, s.retryAtMillis() - now)).min().orElse(100);
  }

  private void takeDueSetAside(List<FinishedAttempt> batch) {
    long now = System.currentTimeMillis();
    setAside.removeIf(s -> s.retryAtMillis() <= now && batch.add(s.attempt()));
  }

  /** Stores {@code batch}, retrying while storage is down; an unexpected error splits it. */
  private void write(List<FinishedAttempt> batch) throws InterruptedException {
    long waitMs = FIRST_RETRY_WAIT_MS;
    while (true) {
      try {
        Set<TaskId> applied = new HashSet<>(store.finish(batch));
        for (FinishedAttempt stored : batch) {
          setAsideWaits.remove(stored);
          pending.computeIfPresent(stored.attempt().taskId(), (id, n) -> n == 1 ? null : n - 1);
        }
        tell(batch.stream().filter(a -> applied.contains(a.attempt().taskId())).toList());
        return;
      } catch (StoreException e) {
        log.warn(
            "cannot record {} finished attempts, retrying in {}ms: {}",
            batch.size(),
            waitMs,
            e.getMessage());
        Thread.sleep(waitMs);
        waitMs = Math.min(MAX_RETRY_WAIT_MS, waitMs * 2);
      } catch (RuntimeException e) {
        if (batch.size() == 1) {
          setAside(batch.getFirst(), e);
        } else {
          log.error(
              "unexpected error recording {} finished attempts; recording them in halves",
              batch.size(),
              e);
          write(List.copyOf(batch.subList(0, batch.size() / 2)));
          write(List.copyOf(batch.subList(batch.size() / 2, batch.size())));
        }
        return;
      }
    }
  }

  private void setAside(FinishedAttempt attempt, RuntimeException e) {
    long waitMs = setAsideWaits.getOrDefault(attempt, FIRST_RETRY_WAIT_MS);
    log.error(
        "unexpected error recording attempt {} of task {}; trying it again in {}ms",
        attempt.attempt().number(),
        attempt.attempt().taskId(),
        waitMs,
        e);
    setAsideWaits.put(attempt, Math.min(MAX_SET_ASIDE_WAIT_MS, waitMs * 2));
    setAside.add(new SetAside(attempt, System.currentTimeMillis() + waitMs));
  }

  /** Committed: a listener that fails must not make the attempts look unwritten. */
  private void tell(List<FinishedAttempt> applied) {
    try {
      listener.applied(applied);
    } catch (RuntimeException e) {
      log.error(
          "{} finished attempts are recorded, but telling waiters and other nodes failed",
          applied.size(),
          e);
    }
  }

  /** Writes what is queued, then stops; idempotent. */
  @Override
  public void close() throws InterruptedException {
    running = false;
    if (thread.isAlive()) thread.join(10_000);
  }
}
