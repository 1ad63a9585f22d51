package dev.offload.engine;

import dev.offload.store.CreateResult;
import dev.offload.store.Store;
import dev.offload.store.TaskBatch;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Group commit of creates: every batch that arrives while the previous transaction commits goes
 * into the next one, so many concurrent requests cost one commit. A future completes only after
 * its transaction committed (the 202 is durable).
 */
final class TaskIntake implements AutoCloseable {
  private static final int MAX_TASKS_PER_COMMIT = 2_000;

  private record Pending(TaskBatch batch, CompletableFuture<CreateResult> result) {}

  private final Store store;
  private final Clock clock;
  private final Duration idempotencyTtl;
  private final Runnable afterCommit;
  private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
  private final Thread thread;
  private volatile boolean running = true;

  TaskIntake(Store store, Clock clock, Duration idempotencyTtl, Runnable afterCommit) {
    this.store = store;
    this.clock = clock;
    this.idempotencyTtl = idempotencyTtl;
    this.afterCommit = afterCommit;
    this.thread = Thread.ofPlatform().name("offload-intake").daemon().start(this::run);
  }

  CompletableFuture<CreateResult> submit(TaskBatch batch) {
    CompletableFuture<CreateResult> result = new CompletableFuture<>();
    if (!running) {
      result.completeExceptionally(new IllegalStateException("the engine is stopping"));
      return result;
    }
    queue.add(new Pending(batch, result));
    return result;
  }

  private void run() {
    List<Pending> group = new ArrayList<>();
    while (running || !queue.isEmpty()) {
      try {
        Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) continue;
        group.add(first);
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
      List<CreateResult> results = store.create(group.stream().map(Pending::batch).toList(), clock.instant(), idempotencyTtl);
      for (int i = 0; i < group.size(); i++) group.get(i).result().complete(results.get(i));
      afterCommit.run();
    } catch (RuntimeException e) {
      group.forEach(p -> p.result().completeExceptionally(e));
    }
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    thread.join(10_000);
  }
}
