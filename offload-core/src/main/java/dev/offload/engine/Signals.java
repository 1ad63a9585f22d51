package dev.offload.engine;

import dev.offload.cluster.ClusterSignals;
import dev.offload.dispatch.AttemptListener;
import dev.offload.dispatch.CallsInFlight;
import dev.offload.dispatch.Wakeup;
import dev.offload.event.TaskEvents;
import dev.offload.metrics.TaskMetrics;
import dev.offload.store.QueueStore;
import dev.offload.task.FinishedAttempt;
import dev.offload.task.Task;
import dev.offload.task.TaskId;
import dev.offload.task.TaskStatus;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Who hears of each change, so nothing waits for a poll: this node's claim loop, workers' long
 * polls, task waiters, the webhook sender and event streams, and other nodes through the cluster
 * signals; also what other nodes signal to this one. Metrics and state-change lines of attempts and
 * user actions are recorded here too, as they follow the same changes.
 *
 * <p>The engine makes this first. It holds the doorbells of the loops it wakes (and the calls in
 * flight, to abort one), and each loop is built with its own; so the parts that signal (intake,
 * dispatcher, workers, schedules, queues, callbacks) and the loops that listen never need each
 * other, whatever order they are built in.
 */
final class Signals implements AttemptListener, ClusterSignals.Listener, TaskIntake.Committed {
  private final Wakeup claims;
  private final Wakeup webhooks;
  private final WaitingLeases leases = new WaitingLeases();
  private final CallsInFlight calls = new CallsInFlight();
  private final QueueStore store;
  private final ClusterSignals cluster;
  private final TaskEvents events;
  private final TaskWaiters waiters;
  private final TaskMetrics metrics;
  private final StateLog stateLog;
  private final Clock clock;

  Signals(
      QueueStore store,
      ClusterSignals cluster,
      TaskEvents events,
      TaskWaiters waiters,
      TaskMetrics metrics,
      StateLog stateLog,
      Clock clock) {
    this.store = store;
    this.cluster = cluster;
    this.events = events;
    this.waiters = waiters;
    this.metrics = metrics;
    this.stateLog = stateLog;
    this.clock = clock;
    this.claims = new Wakeup(clock);
    this.webhooks = new Wakeup(clock);
  }

  /** The claim loop's doorbell. */
  Wakeup claims() {
    return claims;
  }

  /** The webhook sender's doorbell. */
  Wakeup webhooks() {
    return webhooks;
  }

  /** Where lease calls wait for work. */
  WaitingLeases leases() {
    return leases;
  }

  /** This node's calls in flight, which a cancel aborts. */
  CallsInFlight calls() {
    return calls;
  }

  /** A commit of the intake created tasks; the earliest is due at {@code earliestDue}. */
  @Override
  public void committed(Instant earliestDue, List<TaskIntake.Accepted> created) {
    // queued before the wake-up, so the running lines of a claim this wake-up starts come after
    stateLog.created(created);
    created(earliestDue);
    for (TaskIntake.Accepted accepted : created) metrics.created(accepted.task().queue());
  }

  /** Tasks were created (or a schedule fired): the earliest is due at {@code earliestDue}. */
  void created(Instant earliestDue) {
    claims.signalFor(earliestDue);
    leases.signal();
    cluster.newWork();
    events.changed();
  }

  /** A queue's limits changed, or a task was re-queued: there may be work to claim everywhere. */
  void workEverywhere() {
    claims.signal();
    leases.signal();
    cluster.newWork();
  }

  void retried(Task task) {
    retried(List.of(task));
  }

  void retried(List<Task> tasks) {
    workEverywhere();
    for (Task task : tasks)
      stateLog.changed(task, "re-queued by a retry: queued, with a fresh retry budget");
  }

  void cancelled(Task task) {
    cancelled(List.of(task));
  }

  void cancelled(List<Task> tasks) {
    List<TaskId> ids = new ArrayList<>(tasks.size());
    for (Task task : tasks) {
      TaskId id = task.id();
      ids.add(id);
      calls.abort(id);
      waiters.finished(id);
      metrics.terminal(task.queue(), TaskStatus.CANCELLED);
      stateLog.changed(task, "cancelled");
    }
    webhooks.signal();
    cluster.finished(ids);
    events.changed();
    roomMayHaveFreed();
  }

  void progressed() {
    events.changed();
  }

  /** An attempt (claimed, so {@code running}) is being sent to its target. */
  @Override
  public void started(Task task) {
    metrics.started(task, clock.instant());
    stateLog.started(task);
  }

  /** Attempts finished and committed, by this node's dispatcher or by workers through it. */
  @Override
  public void applied(List<FinishedAttempt> attempts) {
    boolean retrying = false;
    List<TaskId> terminal = new ArrayList<>();
    stateLog.finished(attempts);
    for (FinishedAttempt finished : attempts) {
      TaskId id = finished.attempt().taskId();
      metrics.finished(finished);
      if (finished.transition().status().isTerminal()) {
        waiters.finished(id);
        terminal.add(id);
      } else {
        retrying = true;
      }
    }
    if (retrying) {
      claims.signal();
      leases.signal();
      if (store.hasFlowControl()) cluster.newWork();
    }
    events.changed();
    if (!terminal.isEmpty()) {
      webhooks.signal();
      cluster.finished(terminal);
    }
    roomMayHaveFreed();
  }

  @Override
  public void newWork() {
    claims.signal();
    leases.signal();
    webhooks.signal();
    events.changed();
  }

  @Override
  public void finished(Collection<TaskId> ids) {
    for (TaskId id : ids) {
      waiters.finished(id);
      calls.abort(id);
    }
    webhooks.signal();
    events.changed();
    roomMayHaveFreed();
  }

  /**
   * A task stopped running: in a limited queue that makes room for another, which the claimers
   * skipped (their next due time ignores full queues), so wake them. Other nodes hear of it by the
   * finished signal (or new work, for a retry).
   */
  private void roomMayHaveFreed() {
    if (!store.hasFlowControl()) return;
    claims.signal();
    leases.signal();
  }
}
