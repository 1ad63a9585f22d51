package dev.offload.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.offload.engine.Queues;
import dev.offload.queue.QueueInfo;
import dev.offload.queue.QueueSettings;
import dev.offload.queue.QueueTimeline;
import dev.offload.task.Retention;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code /v1/queues}: queue figures and flow-control settings (README: Queues). */
public final class QueueRoutes {
  private static final Logger log = LoggerFactory.getLogger(QueueRoutes.class);
  private static final Set<String> FIELDS =
      Set.of("concurrency", "ratePerSecond", "burst", "paused", "retainSucceeded", "retainFailed");

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
    routes.get("/v1/queues/{name}/history", this::history);
  }

  private void list(Context ctx) {
    QueryParams.parse(ctx, Set.of());
    ObjectNode answer = bodies.mapper().createObjectNode();
    queues
        .list()
        .forEach(queue -> answer.withArray("queues").add(QueueJson.queue(bodies.mapper(), queue)));
    if (!answer.has("queues")) answer.putArray("queues");
    ctx.contentType("application/json").result(answer.toString());
  }

  private void get(Context ctx) {
    QueryParams.parse(ctx, Set.of());
    String name = knownName(ctx);
    QueueInfo queue = queues.find(name).orElseThrow(() -> missing(name));
    ctx.contentType("application/json").result(QueueJson.queue(bodies.mapper(), queue).toString());
  }

  /** The last hour minute by minute, for the dashboard's charts. */
  private void history(Context ctx) {
    QueryParams.parse(ctx, Set.of());
    String name = knownName(ctx);
    QueueTimeline timeline = queues.history(name).orElseThrow(() -> missing(name));
    ctx.contentType("application/json")
        .result(QueueJson.timeline(bodies.mapper(), timeline).toString());
  }

  /** The path's queue name; a 404 when it cannot be a queue's name (no queue has it). */
  private static String knownName(Context ctx) {
    String name = ctx.pathParam("name");
    if (!validName(name)) throw missing(name);
    return name;
  }

  private static ApiException missing(String name) {
    return ApiException.notFound(
        "no queue " + name + ": no task named it and no settings were put");
  }

  private void put(Context ctx) {
    QueryParams.parse(ctx, Set.of());
    String name = ctx.pathParam("name");
    if (!validName(name)) {
      throw ApiException.invalid(
          "name", "a queue name is 1 to 100 characters and " + TaskRequestParser.QUEUE_SHAPE);
    }
    QueueSettings settings = settings(bodies.read(ctx));
    log.atInfo()
        .addKeyValue("queue", name)
        .log(
            "queue {} settings changed: concurrency {}, rate {}, burst {}, {}",
            name,
            settings.concurrency() == null ? "unlimited" : settings.concurrency(),
            settings.ratePerSecond() == null ? "unlimited" : settings.ratePerSecond() + "/s",
            settings.burst() == null ? QueueSettings.DEFAULT_BURST : settings.burst(),
            settings.paused() ? "paused" : "active");
    ctx.contentType("application/json")
        .result(QueueJson.queue(bodies.mapper(), queues.put(name, settings)).toString());
  }

  private static boolean validName(String name) {
    return name.length() <= 100 && TaskRequestParser.QUEUE.matcher(name).matches();
  }

  static QueueSettings settings(JsonNode body) {
    List<FieldError> errors = new ArrayList<>();
    if (!(body instanceof ObjectNode object))
      throw ApiException.invalid("(body)", "must be a JSON object");
    JsonFields f = new JsonFields(object, "", errors);
    f.rejectUnknown(FIELDS);
    Integer concurrency = f.integer("concurrency", 1, QueueSettings.MAX_CONCURRENCY);
    Double rate = f.number("ratePerSecond", 0, QueueSettings.MAX_RATE_PER_SECOND);
    if (rate != null && rate <= 0)
      f.error(
          "ratePerSecond",
          "must be a number above 0 and at most " + QueueSettings.MAX_RATE_PER_SECOND);
    Integer burst = f.integer("burst", 1, QueueSettings.MAX_BURST);
    if (f.has("burst") && !f.has("ratePerSecond")) f.error("burst", "goes with ratePerSecond");
    Boolean paused = f.bool("paused");
    Retention retainSucceeded = f.retention("retainSucceeded");
    Retention retainFailed = f.retention("retainFailed");
    if (!errors.isEmpty()) throw ApiException.invalid(errors);
    return new QueueSettings(
        concurrency, rate, burst, paused != null && paused, retainSucceeded, retainFailed);
  }
}
