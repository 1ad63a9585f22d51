package dev.offload.server.api;

import dev.offload.engine.Engine;
import io.javalin.config.RoutesConfig;

/** {@code /healthz}: the process answers; {@code /readyz}: and its storage answers too. */
public final class HealthRoutes {
  private final Engine engine;

  public HealthRoutes(Engine engine) {
    this.engine = engine;
  }

  public void register(RoutesConfig routes) {
    routes.get(
        "/healthz", ctx -> ctx.contentType("application/json").result("{\"status\":\"ok\"}"));
    routes.get(
        "/readyz",
        ctx -> {
          if (!engine.isStoreReachable()) {
            throw new ApiException(503, "Not ready", "the task store does not answer");
          }
          ctx.contentType("application/json").result("{\"status\":\"ready\"}");
        });
  }
}
