package dev.offload.client.worker;

import com.fasterxml.jackson.databind.JsonNode;
import dev.offload.client.Heartbeat;
import dev.offload.client.LeasedTask;
import dev.offload.client.TaskView;
import dev.offload.client.Workers;
import java.time.Duration;

/** The task a {@link Handler} runs, and its line back to the server. */
public final class WorkerTask {
  private final LeasedTask leased;
  private final Workers workers;
  private final Duration leaseFor;
  private volatile boolean cancelled;
  private volatile Thread thread;

  WorkerTask(LeasedTask leased, Workers workers, Duration leaseFor) {
    this.leased = leased;
    this.workers = workers;
    this.leaseFor = leaseFor;
  }

  public String taskId() {
    return leased.taskId();
  }

  public String name() {
    return leased.name();
  }

  /**
   * The 1-based number of this attempt: above 1 the task ran before (at-least-once: be idempotent).
   */
  public int attempt() {
    return leased.attempt();
  }

  public JsonNode payload() {
    return leased.payload();
  }

  /**
   * The payload read as {@code type}; null for a JSON null; {@link IllegalArgumentException} when
   * it does not fit.
   */
  public <T> T payloadAs(Class<T> type) {
    return leased.payloadAs(type);
  }

  /** The whole task as leased (queue, metadata, maxAttempts, …). */
  public TaskView task() {
    return leased.task();
  }

  /**
   * True once the task was cancelled (or its lease lost): stop working, the result is not kept. The
   * handler's thread is interrupted at the same moment, so blocking calls end early too.
   */
  public boolean isCancelled() {
    return cancelled;
  }

  /**
   * Reports progress now (any value Jackson can write; shown on the task) and extends the lease.
   * Returns false when the task was cancelled meanwhile.
   */
  public boolean progress(Object progress) {
    Heartbeat answer = workers.heartbeat(taskId(), leased.leaseToken(), leaseFor, progress);
    if (answer.cancelled()) cancel();
    return !cancelled;
  }

  String leaseToken() {
    return leased.leaseToken();
  }

  void runOn(Thread current) {
    thread = current;
  }

  /** Marks the task cancelled and interrupts the handler. */
  void cancel() {
    cancelled = true;
    Thread running = thread;
    if (running != null) running.interrupt();
  }
}
