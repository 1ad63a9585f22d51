package dev.offload.dispatch;

import dev.offload.store.PushClaims;
import dev.offload.task.AttemptOutcome;
import dev.offload.task.Task;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this node's leases alive and takes back the leases of nodes that stopped renewing.
 *
 * <p>Why: a node can die at any moment mid-call. Its tasks stay {@code running} under its lease;
 * renewing every quarter of the lease timeout means a living node never loses one to a short stall,
 * while a dead node's tasks come back (as a {@code lease_expired} attempt, then retried under the
 * task's policy) one lease timeout after its last renewal (docs/state_machine.md: Leases that end
 * without an answer).
 */
public final class LeaseKeeper implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LeaseKeeper.class);
  private static final int REAP_BATCH = 500;

  private final PushClaims store;
  private final Dispatcher dispatcher;
  private final Duration leaseTimeout;
  private final Clock clock;
  private final RandomGenerator random = RandomGenerator.getDefault();
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform().name("offload-leases").daemon().factory());
  private final AtomicBoolean started = new AtomicBoolean();

  public LeaseKeeper(PushClaims store, Dispatcher dispatcher, Duration leaseTimeout, Clock clock) {
    this.store = store;
    this.dispatcher = dispatcher;
    this.leaseTimeout = leaseTimeout;
    this.clock = clock;
  }

  /** Starts renewing and reaping every quarter of the lease timeout; once. */
  public void start() {
    if (!started.compareAndSet(false, true)) return;
    long periodMs = Math.max(25, leaseTimeout.toMillis() / 4);
    timer.scheduleWithFixedDelay(this::tick, periodMs, periodMs, TimeUnit.MILLISECONDS);
  }

  /**
   * Puts back every running task at once, whatever its lease: only correct when no other node
   * shares the store (SQLite), where anything running at start-up was left by a dead process.
   */
  public int releaseAllOrphans() {
    return reap(Instant.ofEpochMilli(Long.MAX_VALUE));
  }

  private void tick() {
    try {
      Instant now = clock.instant();
      if (dispatcher.holdsLeases()) store.renewLeases(dispatcher.nodeId(), now.plus(leaseTimeout));
      reap(now);
    } catch (RuntimeException e) {
      log.warn("lease tick failed: {}", e.getMessage());
    }
  }

  private int reap(Instant expiredBefore) {
    List<Task> expired = store.expiredLeases(expiredBefore, REAP_BATCH);
    int reaped = 0;
    for (Task task : expired) {
      if (dispatcher.holdsLease(task.id())) continue;
      Instant now = clock.instant();
      Instant started = task.attemptStartedAt() == null ? now : task.attemptStartedAt();
      Outcome.Retryable lost = expiredOutcome(task, started, now);
      dispatcher.submitFinished(lost.finish(task, task.leaseOwner(), now, expiredBefore, random));
      log.info(
          "task {} attempt {} in queue {}: {}",
          task.id(),
          task.attempts(),
          task.queue(),
          lost.error());
      reaped++;
    }
    return reaped;
  }

  /**
   * Why the lease ran out: a worker's lease ends at the attempt's timeout at the latest (a worker
   * cannot extend it further), so a pull attempt past its timeout timed out; anything else lost its
   * owner.
   */
  private static Outcome.Retryable expiredOutcome(Task task, Instant started, Instant now) {
    String owner = WorkerLeases.workerOf(task.leaseOwner());
    if (WorkerLeases.isWorkerLease(task.leaseOwner())) {
      if (task.timeout() != null && !now.isBefore(started.plus(task.timeout()))) {
        return new Outcome.Retryable(
            AttemptOutcome.TIMEOUT,
            null,
            "attempt timed out after " + task.timeout().toMillis() + "ms (worker " + owner + ")",
            null);
      }
      return new Outcome.Retryable(
          AttemptOutcome.LEASE_EXPIRED,
          null,
          "lease expired: worker " + owner + " stopped sending heartbeats",
          null);
    }
    return new Outcome.Retryable(
        AttemptOutcome.LEASE_EXPIRED,
        null,
        "lease expired: node " + owner + " stopped renewing it",
        null);
  }

  /** Stops renewing and reaping; idempotent. */
  @Override
  public void close() {
    timer.shutdownNow();
  }
}
