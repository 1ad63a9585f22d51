package dev.offload.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.offload.cluster.WorkerInfo;
import dev.offload.dispatch.WorkerLeases;
import dev.offload.engine.LeasedTask;
import dev.offload.engine.WorkRequest;
import dev.offload.engine.WorkerAction;
import dev.offload.engine.WorkerRegistry;
import dev.offload.engine.Workers;
import dev.offload.task.TaskId;
import dev.offload.task.TaskJson;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Pull workers over HTTP (README: Pull workers): {@code POST /v1/workers/lease} long-polls for
 * tasks, and each leased task is renewed, completed, failed or released with its lease token;
 * {@code POST /v1/workers/heartbeat} renews many at once ({@link WorkerHeartbeats}); {@code GET
 * /v1/workers} lists the workers that asked for work lately and what each holds.
 */
public final class WorkerRoutes {
  private static final Set<String> LEASE_FIELDS =
      Set.of("workerId", "queues", "names", "max", "wait", "leaseFor");
  private static final int MAX_FILTERS = 100;
  private static final int MAX_TOKEN = 600;
  private static final int MAX_ERROR = 10_000;
  private static final int MAX_PROGRESS_BYTES = 64 * 1024;

  private final Workers workers;
  private final WorkerRegistry registry;
  private final JsonBodies bodies;
  private final TaskJson json;
  private final long maxResultBytes;
  private final WorkerHeartbeats heartbeats;

  public WorkerRoutes(
      Workers workers, WorkerRegistry registry, JsonBodies bodies, long maxResultBytes) {
    this.workers = workers;
    this.registry = registry;
    this.bodies = bodies;
    this.json = new TaskJson(bodies.mapper());
    this.maxResultBytes = maxResultBytes;
    this.heartbeats = new WorkerHeartbeats(workers, bodies);
  }

  public void register(RoutesConfig routes) {
    routes.post("/v1/workers/lease", this::lease);
    routes.post("/v1/tasks/{id}/heartbeat", this::heartbeat);
    routes.post("/v1/tasks/{id}/complete", this::complete);
    routes.post("/v1/tasks/{id}/fail", this::fail);
    routes.post("/v1/tasks/{id}/release", this::release);
    routes.post("/v1/workers/heartbeat", heartbeats::handle);
    routes.get("/v1/workers", this::list);
  }

  private void list(Context ctx) {
    ObjectNode answer = bodies.mapper().createObjectNode();
    ArrayNode list = answer.putArray("workers");
    for (WorkerRegistry.WorkerStatus status : registry.list()) {
      WorkerInfo info = status.info();
      ObjectNode worker =
          list.addObject().put("workerId", info.workerId()).put("node", info.node());
      info.names().forEach(worker.putArray("names")::add);
      info.queues().forEach(worker.putArray("queues")::add);
      worker.put("lastSeenAt", info.lastSeenAt() == null ? null : info.lastSeenAt().toString());
      worker.put("holding", status.holding().count());
      ArrayNode held = worker.putArray("held");
      status
          .holding()
          .tasks()
          .forEach(
              task -> held.addObject().put("taskId", task.id().value()).put("name", task.name()));
    }
    ctx.contentType("application/json").result(answer.toString());
  }

  private void lease(Context ctx) throws InterruptedException {
    List<FieldError> errors = new ArrayList<>();
    JsonFields f = fields(ctx, errors);
    f.rejectUnknown(LEASE_FIELDS);
    String workerId =
        f.string(
            "workerId",
            100,
            WorkerLeases.WORKER_ID,
            "may hold letters, digits, '.', '_', ':', '@' and '-', starting with a letter or digit");
    List<String> queues =
        names(f, "queues", TaskRequestParser.QUEUE, TaskRequestParser.QUEUE_SHAPE);
    List<String> names = names(f, "names", TaskRequestParser.NAME, TaskRequestParser.NAME_SHAPE);
    Integer max = f.integer("max", 1, WorkRequest.MAX_TASKS);
    Duration wait = f.duration("wait", Duration.ZERO, WorkRequest.MAX_WAIT);
    Duration leaseFor = f.duration("leaseFor", WorkRequest.MIN_LEASE, WorkRequest.MAX_LEASE);
    if (!errors.isEmpty()) throw ApiException.invalid(errors);
    List<LeasedTask> leased =
        workers.lease(
            new WorkRequest(
                workerId == null ? WorkRequest.DEFAULT_WORKER_ID : workerId,
                queues,
                names,
                max == null ? 1 : max,
                wait == null ? WorkRequest.DEFAULT_WAIT : wait,
                leaseFor == null ? WorkRequest.DEFAULT_LEASE : leaseFor));
    ObjectNode answer = bodies.mapper().createObjectNode();
    ArrayNode tasks = answer.putArray("tasks");
    for (LeasedTask task : leased) {
      tasks.add(
          json.task(task.task())
              .put("attempt", task.task().attempts())
              .put("leaseToken", task.leaseToken())
              .put("leaseExpiresAt", task.leaseExpiresAt().toString()));
    }
    ctx.contentType("application/json").result(answer.toString());
  }

  private static List<String> names(
      JsonFields f, String field, Pattern shape, String shapeMessage) {
    JsonNode node = f.node(field);
    if (node == null) return List.of();
    if (!node.isArray() || node.size() > MAX_FILTERS) {
      f.error(field, "must be an array of at most " + MAX_FILTERS + " strings");
      return List.of();
    }
    List<String> values = new ArrayList<>();
    for (int i = 0; i < node.size(); i++) {
      JsonNode item = node.get(i);
      String path = field + "[" + i + "]";
      if (!item.isTextual() || item.textValue().isEmpty() || item.textValue().length() > 200) {
        f.error(path, "must be a string of 1 to 200 characters");
      } else if (!shape.matcher(item.textValue()).matches()) {
        f.error(path, shapeMessage);
      } else {
        values.add(item.textValue());
      }
    }
    return values;
  }

  private void heartbeat(Context ctx) {
    TaskId id = TaskRoutes.taskId(ctx);
    List<FieldError> errors = new ArrayList<>();
    JsonFields f = fields(ctx, errors);
    f.rejectUnknown(Set.of("leaseToken", "progress", "leaseFor"));
    String token = leaseToken(f);
    String progress = progress(f);
    Duration leaseFor = f.duration("leaseFor", WorkRequest.MIN_LEASE, WorkRequest.MAX_LEASE);
    if (!errors.isEmpty()) throw ApiException.invalid(errors);
    WorkerAction action =
        workers.heartbeat(
            id, token, leaseFor == null ? WorkRequest.DEFAULT_LEASE : leaseFor, progress);
    ObjectNode answer = bodies.mapper().createObjectNode();
    switch (action) {
      case WorkerAction.Done done ->
          answer.put("cancelled", false).put("leaseExpiresAt", done.leaseExpiresAt().toString());
      case WorkerAction.Cancelled cancelled -> answer.put("cancelled", true);
      default -> throw refused(id, action);
    }
    ctx.contentType("application/json").result(answer.toString());
  }

  private void complete(Context ctx) {
    TaskId id = TaskRoutes.taskId(ctx);
    List<FieldError> errors = new ArrayList<>();
    JsonFields f = fields(ctx, errors);
    f.rejectUnknown(Set.of("leaseToken", "result"));
    String token = leaseToken(f);
    JsonNode result = f.node("result");
    if (!errors.isEmpty()) throw ApiException.invalid(errors);
    String resultJson = result == null ? "null" : result.toString();
    long bytes = resultJson.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > maxResultBytes) {
      throw new ApiException(
          413,
          "Payload too large",
          "result is " + bytes + " bytes; the limit is " + maxResultBytes + " (--max-payload)",
          List.of(new FieldError("result", "must be at most " + maxResultBytes + " bytes")));
    }
    answerTask(ctx, id, workers.complete(id, token, resultJson));
  }

  private void fail(Context ctx) {
    TaskId id = TaskRoutes.taskId(ctx);
    List<FieldError> errors = new ArrayList<>();
    JsonFields f = fields(ctx, errors);
    f.rejectUnknown(Set.of("leaseToken", "error", "retryable"));
    String token = leaseToken(f);
    String error = f.string("error", MAX_ERROR, JsonFields.NO_NUL, JsonFields.NO_NUL_RULE);
    if (error == null && !f.has("error"))
      f.error("error", "is required: say why the attempt failed");
    Boolean retryable = f.bool("retryable");
    if (!errors.isEmpty()) throw ApiException.invalid(errors);
    answerTask(ctx, id, workers.fail(id, token, error, retryable == null || retryable));
  }

  /** Hands the task back unfinished: queued again at once, the attempt not counted. */
  private void release(Context ctx) {
    TaskId id = TaskRoutes.taskId(ctx);
    List<FieldError> errors = new ArrayList<>();
    JsonFields f = fields(ctx, errors);
    f.rejectUnknown(Set.of("leaseToken"));
    String token = leaseToken(f);
    if (!errors.isEmpty()) throw ApiException.invalid(errors);
    answerTask(ctx, id, workers.release(id, token));
  }

  private void answerTask(Context ctx, TaskId id, WorkerAction action) {
    if (!(action instanceof WorkerAction.Done done)) throw refused(id, action);
    ctx.contentType("application/json").result(json.task(done.task()).toString());
  }

  private JsonFields fields(Context ctx, List<FieldError> errors) {
    return fields(bodies, ctx, errors);
  }

  static JsonFields fields(JsonBodies bodies, Context ctx, List<FieldError> errors) {
    JsonNode body = bodies.read(ctx);
    if (!(body instanceof ObjectNode object))
      throw ApiException.invalid("(body)", "must be a JSON object");
    return new JsonFields(object, "", errors);
  }

  static String leaseToken(JsonFields f) {
    String token = f.string("leaseToken", MAX_TOKEN, null, null);
    if (token == null && !f.has("leaseToken"))
      f.error("leaseToken", "is required: the leaseToken the task was leased with");
    return token;
  }

  /** The optional {@code progress} as JSON text, at most 64 KiB. */
  static String progress(JsonFields f) {
    JsonNode progress = f.node("progress");
    if (progress == null) return null;
    String text = progress.toString();
    if (text.getBytes(StandardCharsets.UTF_8).length > MAX_PROGRESS_BYTES) {
      f.error("progress", "must be at most " + MAX_PROGRESS_BYTES + " bytes of JSON");
      return null;
    }
    return text;
  }

  private static ApiException refused(TaskId id, WorkerAction action) {
    return switch (action) {
      case WorkerAction.NotFound nf -> ApiException.notFound("no task " + id);
      case WorkerAction.Cancelled c ->
          new ApiException(
              409, "Task cancelled", "task " + id + " was cancelled; stop working on it");
      case WorkerAction.LeaseLost lost ->
          new ApiException(
              409,
              "Lease lost",
              "this lease token no longer holds task "
                  + id
                  + ": "
                  + lost.reason()
                  + "; stop working on it");
      case WorkerAction.Done done -> throw new IllegalStateException("not a refusal");
    };
  }
}
