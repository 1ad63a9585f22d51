package dev.offload.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.offload.schedule.PutResult;
import dev.offload.schedule.Schedule;
import dev.offload.schedule.ScheduleDefinition;
import dev.offload.schedule.Scheduler;
import dev.offload.task.TaskId;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /v1/schedules}: declare, read, delete, pause, resume and trigger cron schedules (README:
 * Schedules).
 */
public final class ScheduleRoutes {
  private static final Logger log = LoggerFactory.getLogger(ScheduleRoutes.class);
  public static final int MAX_NEXT = 50;

  private final Scheduler scheduler;
  private final JsonBodies bodies;
  private final ScheduleRequestParser parser;
  private final ScheduleJson json;
  private final Clock clock;

  public ScheduleRoutes(
      Scheduler scheduler, JsonBodies bodies, ScheduleRequestParser parser, Clock clock) {
    this.scheduler = scheduler;
    this.bodies = bodies;
    this.parser = parser;
    this.json = new ScheduleJson(bodies.mapper());
    this.clock = clock;
  }

  public void register(RoutesConfig routes) {
    routes.get("/v1/schedules", this::list);
    routes.put("/v1/schedules/{name}", this::put);
    routes.get("/v1/schedules/{name}", this::get);
    routes.delete("/v1/schedules/{name}", this::delete);
    routes.post(
        "/v1/schedules/{name}/pause",
        ctx -> changed(ctx, scheduler.pause(name(ctx)), "paused: it fires no more until resumed"));
    routes.post(
        "/v1/schedules/{name}/resume",
        ctx ->
            changed(
                ctx, scheduler.resume(name(ctx)), "resumed: it fires again from its next slot"));
    routes.post("/v1/schedules/{name}/trigger", this::trigger);
  }

  private void put(Context ctx) {
    QueryParams.parse(ctx, Set.of());
    String name = ctx.pathParam("name");
    JsonNode body = bodies.read(ctx);
    List<FieldError> errors = new ArrayList<>();
    ScheduleDefinition definition =
        parser.parse(name, body, "", ScheduleRequestParser.FIELDS, errors, clock.instant());
    if (definition == null) throw ApiException.invalid(errors);
    PutResult result = scheduler.put(definition);
    log.atInfo()
        .addKeyValue("schedule", name)
        .log(
            "schedule {} {}: {} ({})",
            name,
            result.created() ? "created" : "replaced",
            definition.cron().text(),
            definition.timezone().getId());
    ctx.header("Location", "/v1/schedules/" + name);
    ctx.status(result.created() ? 201 : 200)
        .contentType("application/json")
        .result(json.write(result.schedule(), 0).toString());
  }

  private void get(Context ctx) {
    String nextText = QueryParams.parse(ctx, Set.of("next")).get("next");
    int next = 0;
    if (nextText != null) {
      next = nextText.matches("\\d{1,3}") ? Integer.parseInt(nextText) : -1;
      if (next < 1 || next > MAX_NEXT)
        throw ApiException.invalid("next", "must be a whole number from 1 to " + MAX_NEXT);
    }
    Schedule schedule = scheduler.find(name(ctx)).orElseThrow(() -> missing(ctx));
    ctx.contentType("application/json").result(json.write(schedule, next).toString());
  }

  private void list(Context ctx) {
    QueryParams.parse(ctx, Set.of());
    ObjectNode answer = bodies.mapper().createObjectNode();
    ArrayNode list = answer.putArray("schedules");
    scheduler.list().forEach(s -> list.add(json.write(s, 0)));
    ctx.contentType("application/json").result(answer.toString());
  }

  private void delete(Context ctx) {
    if (!scheduler.delete(name(ctx))) throw missing(ctx);
    log.atInfo()
        .addKeyValue("schedule", ctx.pathParam("name"))
        .log("schedule {} deleted", ctx.pathParam("name"));
    ctx.status(204);
  }

  private void trigger(Context ctx) {
    TaskId task = scheduler.trigger(name(ctx)).orElseThrow(() -> missing(ctx));
    ObjectNode accepted = bodies.mapper().createObjectNode();
    accepted.put("taskId", task.value());
    accepted.put("status", "queued");
    accepted.put("statusUrl", "/v1/tasks/" + task);
    ctx.header("Location", "/v1/tasks/" + task);
    ctx.status(202).contentType("application/json").result(accepted.toString());
  }

  private void changed(Context ctx, Optional<Schedule> schedule, String how) {
    Schedule changed = schedule.orElseThrow(() -> missing(ctx));
    log.atInfo().addKeyValue("schedule", changed.name()).log("schedule {} {}", changed.name(), how);
    ctx.contentType("application/json").result(json.write(changed, 0).toString());
  }

  /** The schedule name of the path; a name no schedule can have is simply not found. */
  private static String name(Context ctx) {
    String name = ctx.pathParam("name");
    if (!ScheduleDefinition.NAME.matcher(name).matches()) throw missing(ctx);
    return name;
  }

  private static ApiException missing(Context ctx) {
    return ApiException.notFound("no schedule " + ctx.pathParam("name"));
  }
}
