package dev.offload.client;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The pull-worker API of one server (README: Pull workers), from {@link OffloadClient#workers()};
 * {@link dev.offload.client.worker.OffloadWorker} runs handlers on top of it. A call with a lease
 * token that no longer holds its task (the lease expired and the task went to another worker, or
 * the task was cancelled) throws an {@link OffloadException} with status 409.
 */
public final class Workers {
  private final Transport transport;

  Workers(Transport transport) {
    this.transport = transport;
  }

  /** Leases due tasks; waits up to {@code request.waitFor()} for one. Empty when none came. */
  public List<LeasedTask> lease(LeaseRequest request) {
    Objects.requireNonNull(request, "request");
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.put("workerId", request.workerId());
    request.queues().forEach(body.putArray("queues")::add);
    request.names().forEach(body.putArray("names")::add);
    body.put("max", request.max());
    body.put("wait", WireDurations.format(request.waitFor()));
    body.put("leaseFor", WireDurations.format(request.leaseFor()));
    return transport
        .post("/v1/workers/lease", body, Map.of(), request.waitFor())
        .read(
            json -> {
              List<LeasedTask> tasks = new ArrayList<>();
              json.path("tasks").forEach(item -> tasks.add(LeasedTask.from(item)));
              return List.copyOf(tasks);
            });
  }

  /**
   * Extends the lease by {@code leaseFor} from now (never past the attempt's timeout) and, unless
   * {@code progress} is null, records it on the task. Tells whether the task was cancelled.
   */
  public Heartbeat heartbeat(String taskId, String leaseToken, Duration leaseFor, Object progress) {
    ObjectNode body = withToken(leaseToken);
    if (progress != null) body.set("progress", Json.tree(progress));
    body.put("leaseFor", WireDurations.format(Objects.requireNonNull(leaseFor, "leaseFor")));
    return transport
        .post(path(taskId, "heartbeat"), body, Map.of(), Duration.ZERO)
        .read(
            json ->
                new Heartbeat(
                    json.path("cancelled").asBoolean(), Json.instant(json, "leaseExpiresAt")));
  }

  /**
   * One heartbeat for many tasks: extends each lease by {@code leaseFor} from now (never past its
   * attempt's timeout) and records its progress; one state per lease, in order. A lost or cancelled
   * task is reported in its state, not thrown.
   */
  public List<LeaseState> heartbeat(List<HeldLease> leases, Duration leaseFor) {
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    ArrayNode items = body.putArray("leases");
    for (HeldLease lease : leases) {
      ObjectNode item =
          items.addObject().put("taskId", lease.taskId()).put("leaseToken", lease.leaseToken());
      if (lease.progress() != null) item.set("progress", Json.tree(lease.progress()));
    }
    body.put("leaseFor", WireDurations.format(Objects.requireNonNull(leaseFor, "leaseFor")));
    return transport
        .post("/v1/workers/heartbeat", body, Map.of(), Duration.ZERO)
        .read(
            json -> {
              List<LeaseState> states = new ArrayList<>();
              json.path("leases").forEach(item -> states.add(LeaseState.from(item)));
              return List.copyOf(states);
            });
  }

  /**
   * Hands a leased task back unfinished: it is queued again at once for any worker, and the attempt
   * does not count against its retries (for a worker that stops before it is done).
   */
  public TaskView release(String taskId, String leaseToken) {
    return transport
        .post(path(taskId, "release"), withToken(leaseToken), Map.of(), Duration.ZERO)
        .read(TaskView::from);
  }

  /**
   * The task succeeded: {@code result} (any value Jackson can write, or null) becomes its result
   * body.
   */
  public TaskView complete(String taskId, String leaseToken, Object result) {
    ObjectNode body = withToken(leaseToken);
    body.set("result", Json.tree(result));
    return transport
        .post(path(taskId, "complete"), body, Map.of(), Duration.ZERO)
        .read(TaskView::from);
  }

  /**
   * The attempt failed: retried under the task's policy when {@code retryable}, else the task fails
   * at once.
   */
  public TaskView fail(String taskId, String leaseToken, String error, boolean retryable) {
    ObjectNode body = withToken(leaseToken);
    body.put("error", Objects.requireNonNull(error, "error"));
    body.put("retryable", retryable);
    return transport.post(path(taskId, "fail"), body, Map.of(), Duration.ZERO).read(TaskView::from);
  }

  private static ObjectNode withToken(String leaseToken) {
    return JsonNodeFactory.instance
        .objectNode()
        .put("leaseToken", Objects.requireNonNull(leaseToken, "leaseToken"));
  }

  private static String path(String taskId, String action) {
    Objects.requireNonNull(taskId, "taskId");
    return "/v1/tasks/" + Transport.segment(taskId) + "/" + action;
  }
}
