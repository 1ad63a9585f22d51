package dev.offload.engine;

import dev.offload.dispatch.Outcome;
import dev.offload.dispatch.WorkerLeases;
import dev.offload.store.Completion;
import dev.offload.store.PullLeases;
import dev.offload.store.TaskReads;
import dev.offload.task.ActionResult;
import dev.offload.task.AttemptOutcome;
import dev.offload.task.FinishedAttempt;
import dev.offload.task.LeaseRenewal;
import dev.offload.task.PullClaim;
import dev.offload.task.Task;
import dev.offload.task.TaskId;
import dev.offload.task.TaskResult;
import dev.offload.task.TaskStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

/**
 * Pull tasks for workers (README: Pull workers): long-poll leases, heartbeats, complete, fail and
 * release. A finished pull attempt goes through the same {@link Outcome#finish} and {@link
 * Completion} as a push attempt, so retries, backoff, webhooks and waiting callers behave the same;
 * an expired worker lease is reaped by the same {@code LeaseKeeper}.
 *
 * <p>A waiting lease holds no thread of its own beyond the caller's (virtual) one: it sleeps on a
 * future that new work completes, or until the next pull task is due, or the poll interval (a
 * safety net for signals lost between nodes).
 */
public final class Workers {
  private final PullLeases store;
  private final TaskReads tasks;
  private final Completion completion;
  private final Clock clock;
  private final Duration pollInterval;
  private final Consumer<List<FinishedAttempt>> applied;
  private final Runnable requeued;
  private final WorkerRegistry registry;
  private final RandomGenerator random = RandomGenerator.getDefault();
  private final WaitingLeases waiting;
  private volatile boolean open = true;

  /**
   * When a worker last asked, per distinct (queues, names) of the requests this node served; in
   * memory.
   */
  private final Map<Asking, Instant> askedAt = new ConcurrentHashMap<>();

  private static final int MAX_ASKING = 1_000;

  /** What one kind of lease request asks for; an empty set matches any. */
  private record Asking(Set<String> queues, Set<String> names) {
    boolean matches(String queue, String name) {
      return (queues.isEmpty() || queues.contains(queue))
          && (names.isEmpty() || names.contains(name));
    }
  }

  /**
   * Waiting lease calls sleep on {@code waiting}; finished attempts go to {@code applied}, released
   * tasks to {@code requeued}; {@code registry} remembers who asked.
   */
  Workers(
      PullLeases store,
      TaskReads tasks,
      Completion completion,
      Clock clock,
      Duration pollInterval,
      WaitingLeases waiting,
      Consumer<List<FinishedAttempt>> applied,
      Runnable requeued,
      WorkerRegistry registry) {
    this.store = store;
    this.tasks = tasks;
    this.completion = completion;
    this.clock = clock;
    this.pollInterval = pollInterval;
    this.waiting = waiting;
    this.applied = applied;
    this.requeued = requeued;
    this.registry = registry;
  }

  /** How many lease calls have looked for work, found none, and wait on this node now. */
  public int waitingLeases() {
    return waiting.count();
  }

  /**
   * Leases due pull tasks; when none is due, waits until one is or {@code request.waitFor()}
   * passes. Returns as soon as at least one task is leased (possibly fewer than {@code max}).
   */
  public List<LeasedTask> lease(WorkRequest request) throws InterruptedException {
    long deadline = System.nanoTime() + request.waitFor().toNanos();
    String prefix = WorkerLeases.tokenPrefix(request.workerId());
    Asking asking = new Asking(Set.copyOf(request.queues()), Set.copyOf(request.names()));
    asked(asking);
    registry.asked(request);
    try {
      return leaseUntil(request, prefix, deadline);
    } finally {
      // a long-poll asks for its whole length: its end is when a worker last asked
      asked(asking);
      registry.asked(request);
    }
  }

  private void asked(Asking asking) {
    if (askedAt.size() < MAX_ASKING || askedAt.containsKey(asking))
      askedAt.put(asking, clock.instant());
  }

  /**
   * When a worker last asked this node for work a pull task of {@code queue} and {@code name}
   * matches (the start or end of its long-poll); empty when none has since this node started.
   */
  public Optional<Instant> lastAskedFor(String queue, String name) {
    return askedAt.entrySet().stream()
        .filter(e -> e.getKey().matches(queue, name))
        .map(Map.Entry::getValue)
        .max(Instant::compareTo);
  }

  private List<LeasedTask> leaseUntil(WorkRequest request, String prefix, long deadline)
      throws InterruptedException {
    while (open) {
      CompletableFuture<Void> turn = waiting.turn();
      Instant now = clock.instant();
      List<Task> tasks =
          store.leasePullTasks(
              new PullClaim(
                  prefix,
                  request.queues(),
                  request.names(),
                  now,
                  request.max(),
                  request.leaseFor()));
      if (!tasks.isEmpty())
        return tasks.stream().map(t -> leased(t, now, request.leaseFor())).toList();
      long remainingMs = (deadline - System.nanoTime()) / 1_000_000;
      if (remainingMs <= 0) break;
      long sleepMs = Math.min(remainingMs, pollInterval.toMillis());
      Optional<Instant> due = store.nextPullDueAt(clock.instant());
      if (due.isPresent())
        sleepMs =
            Math.max(1, Math.min(sleepMs, Duration.between(clock.instant(), due.get()).toMillis()));
      waiting.await(turn, sleepMs);
    }
    return List.of();
  }

  private static LeasedTask leased(Task task, Instant now, Duration leaseFor) {
    return new LeasedTask(task, task.leaseOwner(), leaseEnd(task, now, leaseFor));
  }

  /** Mirrors the store's cap: a lease never outlives the attempt's timeout. */
  private static Instant leaseEnd(Task task, Instant now, Duration leaseFor) {
    Instant wanted = now.plus(leaseFor);
    if (task.timeout() == null) return wanted;
    Instant limit = task.attemptStartedAt().plus(task.timeout());
    return limit.isBefore(wanted) ? limit : wanted;
  }

  /**
   * Extends the lease and records progress (null keeps the last); tells a worker its task was
   * cancelled.
   */
  public WorkerAction heartbeat(
      TaskId id, String leaseToken, Duration leaseFor, String progressJson) {
    return heartbeat(List.of(new LeaseRenewal(id, leaseToken, progressJson)), leaseFor).getFirst();
  }

  /** {@link #heartbeat} for many tasks in one transaction; one action per renewal, in order. */
  public List<WorkerAction> heartbeat(List<LeaseRenewal> renewals, Duration leaseFor) {
    Instant now = clock.instant();
    List<ActionResult> results = store.renewPullLeases(renewals, now, leaseFor);
    List<WorkerAction> actions = new ArrayList<>(results.size());
    for (int i = 0; i < results.size(); i++) {
      actions.add(
          switch (results.get(i)) {
            case ActionResult.Done done ->
                new WorkerAction.Done(done.task(), leaseEnd(done.task(), now, leaseFor));
            case ActionResult.WrongState wrong ->
                refused(wrong.task(), renewals.get(i).leaseToken(), now);
            case ActionResult.NotFound nf -> new WorkerAction.NotFound();
          });
    }
    return actions;
  }

  /**
   * Hands a leased task back: it is queued again at once for any worker, and the attempt does not
   * count against its retries (a worker that stops gives up work it has not finished).
   */
  public WorkerAction release(TaskId id, String leaseToken) {
    Instant now = clock.instant();
    return switch (store.releasePullLease(id, leaseToken, now)) {
      case ActionResult.Done done -> {
        requeued.run();
        yield new WorkerAction.Done(done.task(), null);
      }
      case ActionResult.WrongState wrong -> refused(wrong.task(), leaseToken, now);
      case ActionResult.NotFound nf -> new WorkerAction.NotFound();
    };
  }

  /**
   * Completes the attempt: the task succeeds with {@code resultJson} (JSON text) as its result
   * body.
   */
  public WorkerAction complete(TaskId id, String leaseToken, String resultJson) {
    TaskResult result = new TaskResult(null, "application/json", resultJson, true, false);
    return finish(id, leaseToken, new Outcome.Succeeded(result));
  }

  /** Fails the attempt: retried under the task's policy unless {@code retryable} is false. */
  public WorkerAction fail(TaskId id, String leaseToken, String error, boolean retryable) {
    return finish(
        id,
        leaseToken,
        retryable
            ? new Outcome.Retryable(AttemptOutcome.WORKER_ERROR, null, error, null)
            : new Outcome.NonRetryable(AttemptOutcome.WORKER_ERROR, null, error));
  }

  private WorkerAction finish(TaskId id, String leaseToken, Outcome outcome) {
    Optional<Task> found = tasks.find(id);
    if (found.isEmpty()) return new WorkerAction.NotFound();
    Task task = found.get();
    Instant now = clock.instant();
    // A push task's lease owner is its node's id, which GET /v1/nodes shows: only a pull task's
    // worker lease, a secret handed to the worker that leased it, may finish a task from outside.
    boolean heldByThisWorker =
        task.name() != null
            && WorkerLeases.isWorkerLease(leaseToken)
            && leaseToken.equals(task.leaseOwner());
    if (task.status() != TaskStatus.RUNNING || !heldByThisWorker)
      return refused(task, leaseToken, now);
    FinishedAttempt finished = outcome.finish(task, leaseToken, now, null, random);
    if (completion.finish(List.of(finished)).isEmpty()) {
      return refused(tasks.find(id).orElseThrow(), leaseToken, now);
    }
    applied.accept(List.of(finished));
    return new WorkerAction.Done(tasks.find(id).orElseThrow(), null);
  }

  /**
   * Records the attempt a cancel cut short: {@code before} is the task as it was just before the
   * cancel. The task is already cancelled, so only the attempt is written.
   */
  void cancelled(Task before) {
    if (before.name() == null
        || before.status() != TaskStatus.RUNNING
        || !WorkerLeases.isWorkerLease(before.leaseOwner())) return;
    completion.finish(
        List.of(
            new Outcome.Aborted()
                .finish(before, before.leaseOwner(), clock.instant(), null, random)));
  }

  private static WorkerAction refused(Task task, String leaseToken, Instant now) {
    if (task.status() == TaskStatus.CANCELLED) return new WorkerAction.Cancelled(task);
    if (task.status() == TaskStatus.RUNNING
        && leaseToken.equals(task.leaseOwner())
        && task.timeout() != null
        && !now.isBefore(task.attemptStartedAt().plus(task.timeout()))) {
      return new WorkerAction.LeaseLost(
          task, "the attempt ran past its timeout of " + task.timeout().toMillis() + "ms");
    }
    return new WorkerAction.LeaseLost(
        task,
        task.status().isTerminal()
            ? "the task is already " + task.status().wire()
            : "the lease is no longer held (it expired or the task was leased again); the task is "
                + task.status().wire());
  }

  /** Ends waiting leases at once; later leases return nothing. */
  void close() {
    open = false;
    waiting.signal();
  }
}
