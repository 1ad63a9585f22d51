package dev.offload.engine;

import dev.offload.cluster.ClusterSignals;
import dev.offload.dispatch.Dispatcher;
import dev.offload.dispatch.WebhookSender;
import dev.offload.event.TaskEvents;
import dev.offload.metrics.TaskMetrics;
import dev.offload.store.QueueStore;
import dev.offload.task.FinishedAttempt;
import dev.offload.task.Task;
import dev.offload.task.TaskId;
import dev.offload.task.TaskStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Who hears of each change, so nothing waits for a poll: this node's claimers, workers' long
 * polls, task waiters, the webhook sender and event streams, and other nodes through the cluster
 * signals; also what other nodes signal to this one. Metrics and state-change lines of finished
 * attempts and user actions are recorded here too, as they follow the same changes.
 */
final class Wakeups implements ClusterSignals.Listener {
  private final QueueStore store;
  private final Dispatcher dispatcher;
  private final Workers workers;
  private final WebhookSender webhooks;
  private final ClusterSignals signals;
  private final TaskEvents events;
  private final TaskWaiters waiters;
  private final TaskMetrics metrics;
  private final StateLog stateLog;

  Wakeups(QueueStore store, Dispatcher dispatcher, Workers workers, WebhookSender webhooks, ClusterSignals signals,
      TaskEvents events, TaskWaiters waiters, TaskMetrics metrics, StateLog stateLog) {
    this.store = store;
    this.dispatcher = dispatcher;
    this.workers = workers;
    this.webhooks = webhooks;
    this.signals = signals;
    this.events = events;
    this.waiters = waiters;
    this.metrics = metrics;
    this.stateLog = stateLog;
  }

  /** Tasks were created (or a schedule fired): the earliest is due at {@code earliestDue}. */
  void created(Instant earliestDue) {
    dispatcher.wakeFor(earliestDue);
    workers.newWork();
    signals.newWork();
    events.changed();
  }

  /** A queue's limits changed, or a task was re-queued: there may be work to claim everywhere. */
  void workEverywhere() {
    dispatcher.wake();
    workers.newWork();
    signals.newWork();
  }

  void retried(Task task) {
    workEverywhere();
    stateLog.changed(task, "re-queued by a retry: queued, with a fresh retry budget");
  }

  void cancelled(Task before, Task after) {
    TaskId id = after.id();
    dispatcher.abort(id);
    if (before != null) workers.cancelled(before);
    waiters.finished(id);
    webhooks.wake();
    signals.finished(List.of(id));
    events.changed();
    metrics.terminal(after.queue(), TaskStatus.CANCELLED);
    stateLog.changed(after, "cancelled");
    roomMayHaveFreed();
  }

  void progressed() {
    events.changed();
  }

  /** Attempts finished and committed, by this node's dispatcher or by workers through it. */
  void applied(List<FinishedAttempt> attempts) {
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
      dispatcher.wake();
      workers.newWork();
      if (store.hasFlowControl()) signals.newWork();
    }
    events.changed();
    if (!terminal.isEmpty()) {
      webhooks.wake();
      signals.finished(terminal);
    }
    roomMayHaveFreed();
  }

  @Override
  public void newWork() {
    dispatcher.wake();
    workers.newWork();
    webhooks.wake();
    events.changed();
  }

  @Override
  public void finished(Collection<TaskId> ids) {
    for (TaskId id : ids) {
      waiters.finished(id);
      dispatcher.abort(id);
    }
    webhooks.wake();
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
    dispatcher.wake();
    workers.newWork();
  }
}
