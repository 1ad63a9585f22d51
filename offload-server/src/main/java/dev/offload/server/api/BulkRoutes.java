package dev.offload.server.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.offload.bulk.BulkAction;
import dev.offload.bulk.BulkCancel;
import dev.offload.bulk.BulkStart;
import dev.offload.engine.Bulk;
import dev.offload.server.api.BulkRequestParser.BulkRequest;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /v1/bulk-actions}: retry, cancel or delete every task a filter matches, in the background
 * (design.md: bulk actions).
 */
public final class BulkRoutes {
  private static final Logger log = LoggerFactory.getLogger(BulkRoutes.class);
  static final int DEFAULT_LIMIT = 20;
  static final int MAX_LIMIT = 100;

  private final Bulk bulk;
  private final JsonBodies bodies;

  public BulkRoutes(Bulk bulk, JsonBodies bodies) {
    this.bulk = bulk;
    this.bodies = bodies;
  }

  public void register(RoutesConfig routes) {
    routes.post("/v1/bulk-actions", this::start);
    routes.get("/v1/bulk-actions", this::list);
    routes.get("/v1/bulk-actions/{id}", this::get);
    routes.post("/v1/bulk-actions/{id}/cancel", this::cancel);
  }

  private void start(Context ctx) {
    QueryParams.parse(ctx, Set.of());
    BulkRequest request = BulkRequestParser.parse(bodies.read(ctx));
    if (request.dryRun()) {
      ObjectNode answer = mapper().createObjectNode().put("matched", bulk.count(request.filter()));
      ctx.contentType("application/json").result(answer.toString());
      return;
    }
    BulkStart start = bulk.start(request.verb(), request.filter());
    BulkAction action = start.action();
    if (start instanceof BulkStart.Started) {
      log.atInfo()
          .addKeyValue("bulkAction", action.id())
          .log(
              "bulk action {} started: {} tasks matching {}",
              action.id(),
              action.verb().wire(),
              action.filter().canonical());
      ctx.status(202);
    }
    ctx.header("Location", "/v1/bulk-actions/" + action.id());
    ctx.contentType("application/json").result(json(action).toString());
  }

  private void list(Context ctx) {
    QueryParams query = QueryParams.parse(ctx, Set.of("limit"));
    int limit = query.limit("limit", DEFAULT_LIMIT, MAX_LIMIT);
    ObjectNode answer = mapper().createObjectNode();
    ArrayNode actions = answer.putArray("actions");
    bulk.list(limit).forEach(action -> actions.add(json(action)));
    ctx.contentType("application/json").result(answer.toString());
  }

  private void get(Context ctx) {
    QueryParams.parse(ctx, Set.of());
    String id = ctx.pathParam("id");
    BulkAction action = bulk.find(id).orElseThrow(() -> missing(id));
    ctx.contentType("application/json").result(json(action).toString());
  }

  private void cancel(Context ctx) {
    QueryParams.parse(ctx, Set.of());
    String id = ctx.pathParam("id");
    switch (bulk.cancel(id)) {
      case BulkCancel.Cancelled cancelled -> {
        log.atInfo().addKeyValue("bulkAction", id).log("bulk action {} cancelled", id);
        ctx.contentType("application/json").result(json(cancelled.action()).toString());
      }
      case BulkCancel.AlreadyFinished finished ->
          throw ApiException.conflict(
              "bulk action " + id + " is already " + finished.action().status().wire());
      case BulkCancel.NotFound nf -> throw missing(id);
    }
  }

  private static ApiException missing(String id) {
    return ApiException.notFound("no bulk action " + id);
  }

  private ObjectMapper mapper() {
    return bodies.mapper();
  }

  private ObjectNode json(BulkAction action) {
    ObjectNode json = mapper().createObjectNode();
    json.put("actionId", action.id());
    json.put("action", action.verb().wire());
    json.set("filter", action.filter().toJson());
    json.put("status", action.status().wire());
    json.put("matched", action.matched());
    json.put("done", action.done());
    json.put("failed", action.failed());
    json.put("createdAt", action.createdAt().toString());
    json.put("finishedAt", action.finishedAt() == null ? null : action.finishedAt().toString());
    return json;
  }
}
