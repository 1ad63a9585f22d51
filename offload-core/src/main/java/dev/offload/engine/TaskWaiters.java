package dev.offload.engine;

import dev.offload.task.TaskId;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** Callers waiting for tasks to finish (long-poll, {@code Prefer: wait}). */
final class TaskWaiters {
  private final Map<TaskId, List<CompletableFuture<Void>>> waiting = new ConcurrentHashMap<>();

  CompletableFuture<Void> register(TaskId id) {
    CompletableFuture<Void> future = new CompletableFuture<>();
    waiting.computeIfAbsent(id, k -> new CopyOnWriteArrayList<>()).add(future);
    return future;
  }

  void unregister(TaskId id, CompletableFuture<Void> future) {
    waiting.computeIfPresent(
        id,
        (k, list) -> {
          list.remove(future);
          return list.isEmpty() ? null : list;
        });
  }

  /** How many callers wait for {@code id} now. */
  int count(TaskId id) {
    List<CompletableFuture<Void>> futures = waiting.get(id);
    return futures == null ? 0 : futures.size();
  }

  void finished(TaskId id) {
    List<CompletableFuture<Void>> futures = waiting.remove(id);
    if (futures != null) futures.forEach(f -> f.complete(null));
  }
}
