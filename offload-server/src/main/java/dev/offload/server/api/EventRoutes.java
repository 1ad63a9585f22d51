package dev.offload.server.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.offload.engine.Engine;
import dev.offload.event.EventFilter;
import dev.offload.event.EventSubscription;
import dev.offload.event.TooManySubscribersException;
import dev.offload.task.Task;
import dev.offload.task.TaskEvent;
import dev.offload.task.TaskId;
import dev.offload.task.TaskJson;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Server-sent events (README: API): {@code GET /v1/tasks/{id}/events} replays a task's events and
 * ends after its final one; {@code GET /v1/events?queue=} follows new events of every task or of
 * one queue. {@code Last-Event-ID} (or {@code ?lastEventId=}) resumes after that event. Each stream
 * runs on its own virtual thread and reads the store at its own pace; a client that stops reading
 * is cut off by the connection's idle timeout, never slowing the engine.
 */
public final class EventRoutes {
  private static final Logger log = LoggerFactory.getLogger(EventRoutes.class);
  private static final int BATCH = 200;

  private final Engine engine;
  private final ObjectMapper mapper;
  private final TaskJson json;
  private final Duration heartbeat;

  public EventRoutes(Engine engine, ObjectMapper mapper, Duration heartbeat) {
    this.engine = engine;
    this.mapper = mapper;
    this.json = new TaskJson(mapper);
    this.heartbeat = heartbeat;
  }

  public void register(RoutesConfig routes) {
    routes.get("/v1/tasks/{id}/events", this::taskStream);
    routes.get("/v1/events", this::queueStream);
  }

  private void taskStream(Context ctx) throws Exception {
    QueryParams query = QueryParams.parse(ctx, Set.of("lastEventId"));
    TaskId id = TaskRoutes.taskId(ctx);
    long after = lastEventId(ctx, query);
    if (engine.find(id).isEmpty()) throw ApiException.notFound("no task " + id);
    stream(ctx, after, EventFilter.task(id), true);
  }

  private void queueStream(Context ctx) throws Exception {
    QueryParams query = QueryParams.parse(ctx, Set.of("queue", "lastEventId"));
    String queue = query.filter("queue");
    if (queue != null
        && (queue.length() > 100 || !TaskRequestParser.QUEUE.matcher(queue).matches())) {
      throw ApiException.invalid(
          "queue", "may hold letters, digits, '.', '_' and '-', starting with a letter or digit");
    }
    long after = lastEventId(ctx, query);
    stream(
        ctx,
        after < 0 ? null : after,
        queue == null ? EventFilter.ALL : EventFilter.queue(queue),
        false);
  }

  /**
   * The id to resume after: the header EventSource sends on reconnect, or the query parameter; -1
   * if neither.
   */
  private static long lastEventId(Context ctx, QueryParams query) {
    String header = ctx.header("Last-Event-ID");
    String field = header != null ? "Last-Event-ID" : "lastEventId";
    String text = header != null ? header : query.get("lastEventId");
    if (text == null || text.isBlank()) return -1;
    try {
      long id = Long.parseLong(text.strip());
      if (id >= 0) return id;
    } catch (NumberFormatException e) {
      // answered below
    }
    throw ApiException.invalid(field, "must be the id of an event (a number >= 0), got " + text);
  }

  private void stream(Context ctx, Long after, EventFilter filter, boolean endsWithTask)
      throws InterruptedException {
    EventSubscription subscription;
    try {
      subscription =
          engine
              .events()
              .subscribe(endsWithTask ? Long.valueOf(Math.max(0, after)) : after, filter);
    } catch (TooManySubscribersException e) {
      throw new ApiException(503, "Too many event streams", e.getMessage());
    }
    try (subscription) {
      HttpServletResponse response = ctx.res();
      response.setStatus(200);
      response.setContentType("text/event-stream;charset=utf-8");
      response.setHeader("Cache-Control", "no-cache");
      response.setHeader("X-Accel-Buffering", "no");
      OutputStream out = response.getOutputStream();
      write(out, ": connected\n\n");
      while (true) {
        Task before = endsWithTask ? engine.find(filter.taskId()).orElse(null) : null;
        // Events are written in the transaction of their change, so a finished task's are all
        // committed: what is left of them is read at once, not after waiting a heartbeat.
        boolean finished = before != null && before.status().isTerminal();
        List<TaskEvent> events = subscription.next(BATCH, finished ? Duration.ZERO : heartbeat);
        if (events.isEmpty()) {
          if (finished) return;
          write(out, ": heartbeat\n\n");
          continue;
        }
        StringBuilder frames = new StringBuilder();
        boolean last = false;
        for (TaskEvent event : events) {
          frames
              .append("id: ")
              .append(event.id())
              .append("\nevent: ")
              .append(event.type().wire())
              .append("\ndata: ")
              .append(data(event))
              .append("\n\n");
          if (endsWithTask && isFinal(event)) {
            last = true;
            break;
          }
        }
        write(out, frames.toString());
        if (last) return;
      }
    } catch (IOException e) {
      log.debug("event stream closed: {}", e.getMessage());
    }
  }

  /** A final event of the task as it is now (a retried task's earlier final events are not). */
  private static boolean isFinal(TaskEvent event) {
    Task task = event.task();
    return event.type().isTerminal()
        && task != null
        && task.status().isTerminal()
        && task.finishedAt() != null
        && !event.at().isBefore(task.finishedAt());
  }

  private String data(TaskEvent event) {
    ObjectNode node = mapper.createObjectNode();
    node.put("eventId", event.id());
    node.put("type", event.type().wire());
    node.put("taskId", event.taskId().value());
    node.put("queue", event.queue());
    node.put("attempt", event.attempt());
    if (event.outcome() != null) node.put("outcome", event.outcome().wire());
    node.put("at", event.at().toString());
    if (event.task() == null) node.putNull("task");
    else node.set("task", json.task(event.task()));
    return node.toString();
  }

  private static void write(OutputStream out, String text) throws IOException {
    out.write(text.getBytes(StandardCharsets.UTF_8));
    out.flush();
  }
}
