package dev.offload.dispatch;

import dev.offload.task.TaskId;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The calls this node has in flight, by task. The dispatcher adds and removes them; a cancel, here
 * or on another node, aborts one. Made before the dispatcher, so those who cancel need not know it.
 */
public final class CallsInFlight {
  private final Map<TaskId, HttpInvoker.Call> calls = new ConcurrentHashMap<>();

  void add(TaskId id, HttpInvoker.Call call) {
    calls.put(id, call);
  }

  void remove(TaskId id) {
    calls.remove(id);
  }

  boolean contains(TaskId id) {
    return calls.containsKey(id);
  }

  int size() {
    return calls.size();
  }

  boolean isEmpty() {
    return calls.isEmpty();
  }

  /** Aborts the call in flight for {@code id} on this node, if any. */
  public void abort(TaskId id) {
    HttpInvoker.Call call = calls.get(id);
    if (call != null) call.abort();
  }

  void abortAll() {
    Set.copyOf(calls.values()).forEach(HttpInvoker.Call::abort);
  }
}
