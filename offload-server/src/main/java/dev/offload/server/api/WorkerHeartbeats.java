package dev.offload.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.offload.engine.WorkRequest;
import dev.offload.engine.WorkerAction;
import dev.offload.engine.Workers;
import dev.offload.task.LeaseRenewal;
import dev.offload.task.TaskId;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * {@code POST /v1/workers/heartbeat}: one heartbeat for every task a worker runs, {@code
 * {"leases":[{"taskId","leaseToken","progress"?}…],"leaseFor"?}}. The answer has one entry per
 * lease, in order, with {@code outcome} {@code renewed} (and {@code leaseExpiresAt}), {@code
 * cancelled}, {@code lost} (with {@code detail}) or {@code not_found}: a task the worker lost is
 * news for that task, not an error of the request.
 */
final class WorkerHeartbeats {
  static final int MAX_LEASES = 1_000;

  private final Workers workers;
  private final JsonBodies bodies;

  WorkerHeartbeats(Workers workers, JsonBodies bodies) {
    this.workers = workers;
    this.bodies = bodies;
  }

  void handle(Context ctx) {
    List<FieldError> errors = new ArrayList<>();
    JsonFields f = WorkerRoutes.fields(bodies, ctx, errors);
    f.rejectUnknown(Set.of("leases", "leaseFor"));
    Duration leaseFor = f.duration("leaseFor", WorkRequest.MIN_LEASE, WorkRequest.MAX_LEASE);
    List<LeaseRenewal> renewals = renewals(f, errors);
    if (!errors.isEmpty()) throw ApiException.invalid(errors);
    List<WorkerAction> actions =
        workers.heartbeat(renewals, leaseFor == null ? WorkRequest.DEFAULT_LEASE : leaseFor);
    ObjectNode answer = bodies.mapper().createObjectNode();
    ArrayNode leases = answer.putArray("leases");
    for (int i = 0; i < actions.size(); i++) {
      ObjectNode entry = leases.addObject().put("taskId", renewals.get(i).id().value());
      switch (actions.get(i)) {
        case WorkerAction.Done done ->
            entry.put("outcome", "renewed").put("leaseExpiresAt", done.leaseExpiresAt().toString());
        case WorkerAction.Cancelled c -> entry.put("outcome", "cancelled");
        case WorkerAction.LeaseLost lost ->
            entry.put("outcome", "lost").put("detail", lost.reason());
        case WorkerAction.NotFound nf -> entry.put("outcome", "not_found");
      }
    }
    ctx.contentType("application/json").result(answer.toString());
  }

  private static List<LeaseRenewal> renewals(JsonFields f, List<FieldError> errors) {
    JsonNode node = f.node("leases");
    if (node == null) {
      f.error(
          "leases", "is required: the tasks this worker holds, as [{\"taskId\",\"leaseToken\"}]");
      return List.of();
    }
    if (!node.isArray() || node.isEmpty() || node.size() > MAX_LEASES) {
      f.error("leases", "must be an array of 1 to " + MAX_LEASES + " leases");
      return List.of();
    }
    List<LeaseRenewal> renewals = new ArrayList<>();
    for (int i = 0; i < node.size(); i++) {
      String path = f.pathOf("leases[" + i + "]");
      if (!(node.get(i) instanceof ObjectNode item)) {
        errors.add(
            new FieldError(path, "must be a JSON object such as {\"taskId\",\"leaseToken\"}"));
        continue;
      }
      JsonFields lease = new JsonFields(item, path, errors);
      lease.rejectUnknown(Set.of("taskId", "leaseToken", "progress"));
      String taskId = lease.string("taskId", 100, null, null);
      if (taskId == null && !lease.has("taskId")) lease.error("taskId", "is required");
      if (taskId != null && !TaskId.isValid(taskId))
        lease.error("taskId", "is not a task id (task ids look like tsk_01JD…)");
      String token = WorkerRoutes.leaseToken(lease);
      String progress = WorkerRoutes.progress(lease);
      if (taskId != null && TaskId.isValid(taskId) && token != null)
        renewals.add(new LeaseRenewal(new TaskId(taskId), token, progress));
    }
    return renewals;
  }
}
