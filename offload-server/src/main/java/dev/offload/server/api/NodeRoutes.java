package dev.offload.server.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.offload.cluster.NodeInfo;
import dev.offload.engine.Engine;
import io.javalin.config.RoutesConfig;
import java.time.Instant;

/** {@code GET /v1/nodes}: the nodes sharing the store and whether each is alive. */
public final class NodeRoutes {
  private final Engine engine;
  private final ObjectMapper mapper;

  public NodeRoutes(Engine engine, ObjectMapper mapper) {
    this.engine = engine;
    this.mapper = mapper;
  }

  public void register(RoutesConfig routes) {
    routes.get(
        "/v1/nodes",
        ctx -> {
          ObjectNode answer = mapper.createObjectNode();
          ArrayNode nodes = answer.putArray("nodes");
          for (Engine.NodeStatus status : engine.nodes()) {
            NodeInfo node = status.info();
            ObjectNode json = nodes.addObject();
            json.put("id", node.id());
            json.put("host", node.host());
            json.put("version", node.version());
            json.put("startedAt", text(node.startedAt()));
            json.put("lastHeartbeatAt", text(node.heartbeatAt()));
            json.put("stoppedAt", text(node.stoppedAt()));
            json.put("alive", status.alive());
            json.put("self", status.self());
          }
          ctx.contentType("application/json").result(answer.toString());
        });
  }

  private static String text(Instant instant) {
    return instant == null ? null : instant.toString();
  }
}
