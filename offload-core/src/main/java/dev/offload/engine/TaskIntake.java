package dev.offload.engine;

import dev.offload.dispatch.CommitPace;
import dev.offload.store.TaskInserts;
import dev.offload.task.CreateResult;
import dev.offload.task.NewTask;
import dev.offload.task.TaskBatch;
import dev.offload.task.TaskStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.MDC;

/**
 * Group commit of creates: every batch that arrives while the previous transaction commits, or
 * within the {@link CommitPace} after it began, goes into the next one, so many concurrent requests
 * cost one commit. A future completes only after its transaction committed (the 202 is durable).
 * After each commit the dispatcher hears when the earliest new task is due, so a batch of delayed
 * tasks does not make it look for work now.
 */
final class TaskIntake implements AutoCloseable {
  private static final int MAX_TASKS_PER_COMMIT = 2_000;

  private record Pending(
      TaskBatch batch, CompletableFuture<CreateResult> result, Map<String, String> logContext) {}

  /** A task a commit created (not replayed), with the log context of the request that sent it. */
  record Accepted(NewTask task, TaskStatus status, Map<String, String> logContext) {}

  /** Told after each commit: when the earliest new task is due, and the tasks it created. */
  interface Committed {
    void committed(Instant earliestDue, List<Accepted> created);
  }

  private final TaskInserts store;
  private final Clock clock;
  private final Duration idempotencyTtl;
  private final Committed afterCommit;
  private final CommitPace pace;
  private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
  private final Thread thread;
  private final AtomicBoolean started = new AtomicBoolean();
  private volatile boolean running = true;

  TaskIntake(
      TaskInserts store,
      Clock clock,
      Duration idempotencyTtl,
      CommitPace pace,
      Committed afterCommit) {
    this.store = store;
    this.pace = pace;
    this.clock = clock;
    this.idempotencyTtl = idempotencyTtl;
    this.afterCommit = afterCommit;
    this.thread = Thread.ofPlatform().name("offload-intake").daemon().unstarted(this::run);
  }

  /** Starts committing; batches submitted before wait for it. Once. */
  void start() {
    if (started.compareAndSet(false, true)) thread.start();
  }

  CompletableFuture<CreateResult> submit(TaskBatch batch) {
    CompletableFuture<CreateResult> result = new CompletableFuture<>();
    if (!running) {
      result.completeExceptionally(new IllegalStateException("the engine is stopping"));
      return result;
    }
    queue.add(new Pending(batch, result, MDC.getCopyOfContextMap()));
    return result;
  }

  private void run() {
    List<Pending> group = new ArrayList<>();
    while (running || !queue.isEmpty()) {
      try {
        Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) continue;
        group.add(first);
        pace.awaitTurn();
        int tasks = first.batch().tasks().size();
        while (tasks < MAX_TASKS_PER_COMMIT && queue.peek() != null) {
          Pending next = queue.poll();
          group.add(next);
          tasks += next.batch().tasks().size();
        }
        commit(group);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } finally {
        group.clear();
      }
    }
  }

  private void commit(List<Pending> group) {
    try {
      Instant now = clock.instant();
      List<CreateResult> results =
          store.create(group.stream().map(Pending::batch).toList(), now, idempotencyTtl);
      List<Accepted> created = new ArrayList<>();
      for (int i = 0; i < group.size(); i++) {
        Pending pending = group.get(i);
        pending.result().complete(results.get(i));
        if (!(results.get(i) instanceof CreateResult.Created done)) continue;
        for (int t = 0; t < done.tasks().size(); t++) {
          CreateResult.CreatedTask task = done.tasks().get(t);
          if (!task.replayed())
            created.add(
                new Accepted(pending.batch().tasks().get(t), task.status(), pending.logContext()));
        }
      }
      afterCommit.committed(earliestDue(group, now), created);
    } catch (RuntimeException e) {
      group.forEach(p -> p.result().completeExceptionally(e));
    }
  }

  private static Instant earliestDue(List<Pending> group, Instant now) {
    Instant earliest = Instant.MAX;
    for (Pending pending : group) {
      for (NewTask task : pending.batch().tasks()) {
        Instant due = task.runAt() == null || task.runAt().isBefore(now) ? now : task.runAt();
        if (due.isBefore(earliest)) earliest = due;
      }
    }
    return earliest;
  }

  /** Refuses new batches, commits those already queued, then stops; idempotent. */
  @Override
  public void close() throws InterruptedException {
    running = false;
    if (thread.isAlive()) thread.join(10_000);
  }
}
