package dev.offload.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.offload.engine.Engine;
import dev.offload.schedule.ScheduleDefinition;
import dev.offload.task.ActionResult;
import dev.offload.task.CreateResult;
import dev.offload.task.Durations;
import dev.offload.task.NewTask;
import dev.offload.task.Task;
import dev.offload.task.TaskBatch;
import dev.offload.task.TaskId;
import dev.offload.task.TaskJson;
import dev.offload.task.TaskPage;
import dev.offload.task.TaskQuery;
import dev.offload.task.TaskStatus;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code /v1/tasks}: create, read, list, attempts, cancel, retry, progress, delete (docs/design.md:
 * Endpoints).
 */
public final class TaskRoutes {
  public static final int MAX_BATCH = 1_000;
  public static final Duration MAX_WAIT = Duration.ofSeconds(60);
  private static final Pattern PREFER_WAIT =
      Pattern.compile("(?i)(?:^|[,;\\s])wait\\s*=\\s*(\\d{1,9})");
  private static final int MAX_PROGRESS_BYTES = 64 * 1024;

  private final Engine engine;
  private final JsonBodies bodies;
  private final TaskRequestParser parser;
  private final TaskJson json;
  private final Clock clock;

  public TaskRoutes(Engine engine, JsonBodies bodies, TaskRequestParser parser, Clock clock) {
    this.engine = engine;
    this.bodies = bodies;
    this.parser = parser;
    this.json = new TaskJson(bodies.mapper());
    this.clock = clock;
  }

  public void register(RoutesConfig routes) {
    routes.post("/v1/tasks", this::create);
    routes.post("/v1/tasks/batch", this::createBatch);
    routes.get("/v1/tasks", this::list);
    routes.get("/v1/tasks/{id}", this::get);
    routes.delete("/v1/tasks/{id}", this::delete);
    routes.get("/v1/tasks/{id}/attempts", this::attempts);
    routes.post(
        "/v1/tasks/{id}/cancel", ctx -> action(ctx, engine.cancel(taskId(ctx)), "is already "));
    routes.post(
        "/v1/tasks/{id}/retry",
        ctx ->
            action(
                ctx,
                engine.retry(taskId(ctx)),
                "can only be retried when failed or cancelled; it is "));
    routes.post("/v1/tasks/{id}/progress", this::progress);
  }

  private void create(Context ctx) throws Exception {
    JsonNode body = bodies.read(ctx);
    List<FieldError> errors = new ArrayList<>();
    NewTask task = parser.parse(body, "", errors, ctx.header("Idempotency-Key"), clock.instant());
    if (task == null) throw ApiException.invalid(errors);
    Duration preferWait = preferWait(ctx.header("Prefer"));
    CreateResult.CreatedTask created =
        switch (commit(TaskBatch.of(TraceContext.of(ctx).applyTo(task)))) {
          case CreateResult.Created c -> c.tasks().getFirst();
          case CreateResult.KeyConflict k -> throw keyConflict(k);
        };
    if (created.replayed()) {
      ctx.header("Idempotent-Replayed", "true");
      ctx.status(200)
          .contentType("application/json")
          .result(json.task(find(created.id())).toString());
      return;
    }
    TaskStatus status = created.status();
    if (preferWait != null) {
      Task current = engine.awaitTerminal(created.id(), preferWait).orElseThrow();
      ctx.header("Preference-Applied", "wait=" + preferWait.toSeconds());
      if (current.status().isTerminal()) {
        ctx.header("Location", statusUrl(created.id()));
        ctx.status(200).contentType("application/json").result(json.task(current).toString());
        return;
      }
      status = current.status();
    }
    String statusUrl = statusUrl(created.id());
    ctx.header("Location", statusUrl);
    accepted(
        ctx,
        "{\"taskId\":\""
            + created.id().value()
            + "\",\"status\":\""
            + status.wire()
            + "\",\"statusUrl\":\""
            + statusUrl
            + "\"}");
  }

  private void createBatch(Context ctx) throws Exception {
    JsonNode body = bodies.read(ctx);
    if (ctx.header("Idempotency-Key") != null) {
      throw ApiException.invalid(
          "Idempotency-Key", "header is not used on batches; give idempotencyKey per task");
    }
    List<FieldError> errors = new ArrayList<>();
    JsonNode items = body.get("tasks");
    body.fieldNames()
        .forEachRemaining(
            name -> {
              if (!name.equals("tasks"))
                errors.add(new FieldError(name, "unknown field; expected [tasks]"));
            });
    if (items == null || !items.isArray() || items.isEmpty() || items.size() > MAX_BATCH) {
      errors.add(new FieldError("tasks", "must be an array of 1 to " + MAX_BATCH + " tasks"));
      throw ApiException.invalid(errors);
    }
    List<NewTask> tasks = new ArrayList<>(items.size());
    for (int i = 0; i < items.size(); i++) {
      tasks.add(parser.parse(items.get(i), "tasks[" + i + "]", errors, null, clock.instant()));
    }
    if (!errors.isEmpty()) throw ApiException.invalid(errors);
    TraceContext trace = TraceContext.of(ctx);
    List<CreateResult.CreatedTask> created =
        switch (commit(new TaskBatch(tasks.stream().map(trace::applyTo).toList()))) {
          case CreateResult.Created c -> c.tasks();
          case CreateResult.KeyConflict k -> throw keyConflict(k);
        };
    StringBuilder answer = new StringBuilder(16 + created.size() * 64).append("{\"tasks\":[");
    for (CreateResult.CreatedTask task : created) {
      if (answer.length() > 10) answer.append(',');
      answer
          .append("{\"taskId\":\"")
          .append(task.id().value())
          .append("\",\"status\":\"")
          .append(task.status().wire())
          .append(task.replayed() ? "\",\"replayed\":true}" : "\"}");
    }
    accepted(ctx, answer.append("]}").toString());
  }

  /**
   * A 202 written to the response stream: ids and status words need no escaping, so the text is
   * built without a tree, and a {@code result} would be copied out through a fresh 32 KiB buffer
   * (Javalin's {@code responseBufferSize}) on every request.
   */
  private static void accepted(Context ctx, String json) throws IOException {
    ctx.status(202).contentType("application/json");
    ctx.outputStream().write(json.getBytes(StandardCharsets.UTF_8));
  }

  private CreateResult commit(TaskBatch batch) throws InterruptedException {
    try {
      return engine.create(batch).get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException runtime) throw runtime;
      throw new IllegalStateException(e.getCause());
    }
  }

  private static ApiException keyConflict(CreateResult.KeyConflict conflict) {
    return new ApiException(
        409,
        "Idempotency key reused",
        "idempotency key \""
            + conflict.idempotencyKey()
            + "\" was used for a different request (task "
            + conflict.heldBy()
            + "); use a new key for a new request",
        List.of(new FieldError("idempotencyKey", "was used with a different request body")));
  }

  private void get(Context ctx) throws InterruptedException {
    TaskId id = taskId(ctx);
    String waitText = QueryParams.parse(ctx, Set.of("wait")).get("wait");
    Task task;
    if (waitText == null) {
      task = find(id);
    } else {
      task = engine.awaitTerminal(id, queryWait(waitText)).orElseThrow(() -> missing(id));
    }
    ctx.contentType("application/json").result(view(task).toString());
  }

  /**
   * The task with, for a pull task, when a worker last asked this node for work it matches: a task
   * that waits while no worker asks for its name or queue says so.
   */
  private ObjectNode view(Task task) {
    ObjectNode view = json.task(task);
    if (task.name() != null) {
      view.put(
          "workerLastAskedAt",
          engine
              .workers()
              .lastAskedFor(task.queue(), task.name())
              .map(Instant::toString)
              .orElse(null));
    }
    return view;
  }

  /**
   * A finished task goes with its attempts, events and result; an unfinished one must be cancelled
   * first.
   */
  private void delete(Context ctx) {
    TaskId id = taskId(ctx);
    QueryParams.parse(ctx, Set.of());
    switch (engine.delete(id)) {
      case ActionResult.Done done -> ctx.status(204);
      case ActionResult.WrongState wrong ->
          throw ApiException.conflict(
              "task "
                  + id
                  + " is "
                  + wrong.task().status().wire()
                  + "; only a finished task can be deleted (cancel it first)");
      case ActionResult.NotFound nf -> throw missing(id);
    }
  }

  private void list(Context ctx) {
    QueryParams query =
        QueryParams.parse(ctx, Set.of("queue", "status", "scheduleName", "limit", "cursor"));
    String statusText = query.filter("status");
    TaskStatus status =
        statusText == null
            ? null
            : TaskStatus.fromWire(statusText)
                .orElseThrow(
                    () ->
                        ApiException.invalid(
                            "status",
                            "must be one of scheduled, queued, running, retrying, succeeded, failed, cancelled"));
    String cursor = query.filter("cursor");
    if (cursor != null && !TaskId.isValid(cursor))
      throw ApiException.invalid("cursor", "must be a nextCursor value from a previous page");
    int limit = query.limit("limit", 50, TaskQuery.MAX_LIMIT);
    String queue =
        shaped(
            query.filter("queue"),
            "queue",
            TaskRequestParser.QUEUE,
            100,
            TaskRequestParser.QUEUE_SHAPE);
    String scheduleName =
        shaped(
            query.filter("scheduleName"),
            "scheduleName",
            ScheduleDefinition.NAME,
            128,
            ScheduleDefinition.NAME_RULE);
    TaskPage page =
        engine.list(
            new TaskQuery(
                queue, status, scheduleName, limit, cursor == null ? null : new TaskId(cursor)));
    ObjectNode answer = bodies.mapper().createObjectNode();
    ArrayNode tasks = answer.putArray("tasks");
    page.tasks().forEach(t -> tasks.add(view(t)));
    answer.put("nextCursor", page.nextCursor() == null ? null : page.nextCursor().value());
    ctx.contentType("application/json").result(answer.toString());
  }

  /** A filter no task can match is a mistake worth a 400, not an empty page. */
  private static String shaped(
      String value, String field, Pattern shape, int maxLength, String rule) {
    if (value != null && (value.length() > maxLength || !shape.matcher(value).matches())) {
      throw ApiException.invalid(
          field,
          (value.length() > maxLength ? "must be at most " + maxLength + " characters; " : "")
              + rule);
    }
    return value;
  }

  private void attempts(Context ctx) {
    TaskId id = taskId(ctx);
    find(id);
    ArrayNode list = bodies.mapper().createArrayNode();
    engine.attempts(id).forEach(a -> list.add(json.attempt(a)));
    ctx.contentType("application/json").result(list.toString());
  }

  private void progress(Context ctx) {
    TaskId id = taskId(ctx);
    if (!engine.tokens().isValid(id, ctx.header("Offload-Task-Token"))) {
      throw new ApiException(
          401,
          "Unauthorized",
          "progress needs the Offload-Task-Token header this task's requests carry");
    }
    JsonNode body = bodies.read(ctx);
    if (!body.isObject())
      throw ApiException.invalid("(body)", "must be a JSON object such as {\"progress\": 50}");
    List<FieldError> errors = new ArrayList<>();
    body.fieldNames()
        .forEachRemaining(
            name -> {
              if (!name.equals("progress"))
                errors.add(new FieldError(name, "unknown field; expected [progress]"));
            });
    JsonNode progress = body.get("progress");
    if (progress == null) errors.add(new FieldError("progress", "is required"));
    else if (progress.toString().getBytes(StandardCharsets.UTF_8).length > MAX_PROGRESS_BYTES)
      errors.add(
          new FieldError("progress", "must be at most " + MAX_PROGRESS_BYTES + " bytes of JSON"));
    if (!errors.isEmpty()) throw ApiException.invalid(errors);
    action(ctx, engine.progress(id, progress.toString()), "takes no progress once ");
  }

  private void action(Context ctx, ActionResult result, String wrongStateText) {
    switch (result) {
      case ActionResult.Done done ->
          ctx.contentType("application/json").result(json.task(done.task()).toString());
      case ActionResult.WrongState wrong ->
          throw ApiException.conflict(
              "task " + wrong.task().id() + " " + wrongStateText + wrong.task().status().wire());
      case ActionResult.NotFound nf -> throw missing(new TaskId(ctx.pathParam("id")));
    }
  }

  private Task find(TaskId id) {
    return engine.find(id).orElseThrow(() -> missing(id));
  }

  static TaskId taskId(Context ctx) {
    String text = ctx.pathParam("id");
    if (!TaskId.isValid(text))
      throw ApiException.notFound("no task " + text + " (task ids look like tsk_01JD…)");
    return new TaskId(text);
  }

  private static ApiException missing(TaskId id) {
    return ApiException.notFound("no task " + id);
  }

  private static String statusUrl(TaskId id) {
    return "/v1/tasks/" + id;
  }

  static Duration preferWait(String prefer) {
    if (prefer == null) return null;
    Matcher m = PREFER_WAIT.matcher(prefer);
    if (!m.find()) return null;
    long seconds = Math.min(Long.parseLong(m.group(1)), MAX_WAIT.toSeconds());
    return Duration.ofSeconds(seconds);
  }

  private static Duration queryWait(String text) {
    Duration wait;
    try {
      wait =
          text.chars().allMatch(Character::isDigit) && !text.isEmpty() && text.length() < 6
              ? Duration.ofSeconds(Long.parseLong(text))
              : Durations.parse(text);
    } catch (IllegalArgumentException e) {
      throw ApiException.invalid("wait", Durations.EXPECTED);
    }
    if (wait.compareTo(MAX_WAIT) > 0)
      throw ApiException.invalid("wait", "must be at most 60s, got " + text);
    return wait;
  }
}
