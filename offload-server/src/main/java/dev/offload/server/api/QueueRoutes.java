package dev.offload.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.offload.engine.Queues;
import dev.offload.queue.QueueInfo;
import dev.offload.queue.QueueSettings;
import dev.offload.task.TaskStatus;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** {@code /v1/queues}: queue figures and flow-control settings (DESIGN.md §7). */
public final class QueueRoutes {
  private static final Set<String> FIELDS = Set.of("concurrency", "ratePerSecond", "burst", "paused");

  private final Queues queues;
  private final JsonBodies bodies;

  public QueueRoutes(Queues queues, JsonBodies bodies) {
    this.queues = queues;
    this.bodies = bodies;
  }

  public void register(RoutesConfig routes) {
    routes.get("/v1/queues", this::list);
    routes.get("/v1/queues/{name}", this::get);
    routes.put("/v1/queues/{name}", this::put);
  }

  private void list(Context ctx) {
    QueryParams.parse(ctx, Set.of());
    ObjectNode answer = bodies.mapper().createObjectNode();
    queues.list().forEach(queue -> answer.withArray("queues").add(json(bodies.mapper(), queue)));
    if (!answer.has("queues")) answer.putArray("queues");
    ctx.contentType("application/json").result(answer.toString());
  }

  private void get(Context ctx) {
    QueryParams.parse(ctx, Set.of());
    String name = ctx.pathParam("name");
    ApiException missing = ApiException.notFound("no queue " + name + ": no task named it and no settings were put");
    if (!validName(name)) throw missing;
    QueueInfo queue = queues.find(name).orElseThrow(() -> missing);
    ctx.contentType("application/json").result(json(bodies.mapper(), queue).toString());
  }

  private void put(Context ctx) {
    QueryParams.parse(ctx, Set.of());
    String name = ctx.pathParam("name");
    if (!validName(name)) {
      throw ApiException.invalid("name", "a queue name is 1 to 100 characters and " + TaskRequestParser.QUEUE_SHAPE);
    }
    QueueSettings settings = settings(bodies.read(ctx));
    ctx.contentType("application/json").result(json(bodies.mapper(), queues.put(name, settings)).toString());
  }

  private static boolean validName(String name) {
    return name.length() <= 100 && TaskRequestParser.QUEUE.matcher(name).matches();
  }

  static QueueSettings settings(JsonNode body) {
    List<FieldError> errors = new ArrayList<>();
    if (!(body instanceof ObjectNode object)) throw ApiException.invalid("(body)", "must be a JSON object");
    JsonFields f = new JsonFields(object, "", errors);
    f.rejectUnknown(FIELDS);
    Integer concurrency = f.integer("concurrency", 1, QueueSettings.MAX_CONCURRENCY);
    Double rate = f.number("ratePerSecond", 0, QueueSettings.MAX_RATE_PER_SECOND);
    if (rate != null && rate <= 0) f.error("ratePerSecond", "must be a number above 0 and at most " + QueueSettings.MAX_RATE_PER_SECOND);
    Integer burst = f.integer("burst", 1, QueueSettings.MAX_BURST);
    if (f.has("burst") && !f.has("ratePerSecond")) f.error("burst", "goes with ratePerSecond");
    Boolean paused = f.bool("paused");
    if (!errors.isEmpty()) throw ApiException.invalid(errors);
    return new QueueSettings(concurrency, rate, burst, paused != null && paused);
  }

  static ObjectNode json(ObjectMapper mapper, QueueInfo queue) {
    ObjectNode json = mapper.createObjectNode();
    QueueSettings settings = queue.settings();
    json.put("name", queue.name());
    json.put("paused", settings.paused());
    json.put("concurrency", settings.concurrency());
    json.put("ratePerSecond", settings.ratePerSecond());
    json.put("burst", settings.ratePerSecond() == null ? null : settings.effectiveBurst());
    ObjectNode counts = json.putObject("counts");
    for (TaskStatus status : TaskStatus.values()) counts.put(status.wire(), queue.counts().getOrDefault(status, 0L));
    json.put("inFlight", queue.inFlight());
    json.put("oldestReadyAgeMs", queue.oldestReadyAgeMs());
    json.putObject("throughput").put("lastMinute", queue.throughput().lastMinute()).put("lastHour", queue.throughput().lastHour());
    json.putObject("attemptDurationMs").put("p50", queue.attemptDurationMs().p50()).put("p95", queue.attemptDurationMs().p95())
        .put("p99", queue.attemptDurationMs().p99());
    return json;
  }
}
