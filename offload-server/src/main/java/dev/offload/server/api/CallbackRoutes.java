package dev.offload.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.offload.engine.Callbacks;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;

/**
 * {@code POST /v1/callbacks/<token>}: the callback URL a long task's call was given. The token is
 * the credential (no API token needed). A body that is not JSON or too large is refused before the
 * callback is used, so the sender can try again with a good one.
 */
public final class CallbackRoutes {
  private final Callbacks callbacks;
  private final JsonBodies bodies;
  private final long maxPayloadBytes;

  public CallbackRoutes(Callbacks callbacks, JsonBodies bodies, long maxPayloadBytes) {
    this.callbacks = callbacks;
    this.bodies = bodies;
    this.maxPayloadBytes = maxPayloadBytes;
  }

  public void register(RoutesConfig routes) {
    routes.post("/v1/callbacks/{token}", this::post);
  }

  private void post(Context ctx) {
    String token = ctx.pathParam("token");
    if (!callbacks.knows(token)) throw ApiException.notFound("no callback URL " + token);
    long declared = ctx.req().getContentLengthLong();
    if (declared > maxPayloadBytes) throw tooLarge(declared);
    JsonNode body = bodies.read(ctx);
    String json = body.toString();
    long bytes = json.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > maxPayloadBytes) throw tooLarge(bytes);
    switch (callbacks.post(token, json)) {
      case ACCEPTED ->
          ctx.status(202).contentType("application/json").result("{\"accepted\":true}");
      case UNKNOWN -> throw ApiException.notFound("no callback URL " + token);
      case SPENT ->
          throw ApiException.conflict(
              "this callback URL was used already, or belongs to an earlier call of the task; each works once");
      case GONE ->
          throw new ApiException(
              410, "Gone", "the task has finished or was deleted; it takes no callbacks");
    }
  }

  private ApiException tooLarge(long bytes) {
    return new ApiException(
        413,
        "Request too large",
        "the callback body is "
            + bytes
            + " bytes; the limit is "
            + maxPayloadBytes
            + " (--max-payload)");
  }
}
