package dev.offload.client.steps;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpHandler;
import dev.offload.client.WebhookVerificationException;
import dev.offload.client.WebhookVerifier;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * A push target for long work on a platform that cuts calls off: Offload calls it again and again,
 * and each call runs the {@link StepsHandler} from the top, replaying finished steps from the state
 * and answering with {@code Offload-Continue} when the budget is near, to sleep, or to await a
 * callback. Serve it with {@link #httpHandler()} on the JDK's {@code HttpServer}, or from any
 * framework with {@link #handle}: in Javalin, {@code StepsReply r = steps.handle(ctx::header,
 * ctx.bodyAsBytes()); r.headers().forEach(ctx::header); ctx.status(r.status()).result(r.body());}.
 */
public final class Steps {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Map<String, String> JSON = Map.of("Content-Type", "application/json");

  private final StepsHandler handler;
  private final Duration budget;
  private final WebhookVerifier verifier;

  private Steps(StepsHandler handler, Duration budget, WebhookVerifier verifier) {
    this.handler = Objects.requireNonNull(handler, "handler");
    this.budget = Objects.requireNonNull(budget, "budget");
    if (budget.isNegative() || budget.isZero())
      throw new IllegalArgumentException("budget must be > 0, got " + budget);
    this.verifier = verifier;
  }

  /**
   * {@code budget}: how long one call may run before the next step is left to the next call (keep
   * it under the platform's limit by the longest step). {@code verifier}: checks each call's
   * signature first (403 when wrong, not retried); null for none.
   */
  public static Steps of(StepsHandler handler, Duration budget, WebhookVerifier verifier) {
    return new Steps(handler, budget, verifier);
  }

  /** Answers one call from Offload; {@code header} reads a request header by name. */
  public StepsReply handle(Function<String, String> header, byte[] body) {
    long started = System.nanoTime();
    if (verifier != null) {
      try {
        verifier.verify(header, body);
      } catch (WebhookVerificationException e) {
        return new StepsReply(
            403, Map.of("Content-Type", "application/json", "Offload-Retry", "false"), error(e));
      }
    }
    try {
      JsonNode json =
          body == null || body.length == 0 ? NullNode.getInstance() : MAPPER.readTree(body);
      boolean continued = header.apply("Offload-Continuation") != null;
      JsonNode payload = continued ? json.path("payload") : json;
      ObjectNode state =
          continued && json.path("state").isObject()
              ? (ObjectNode) json.get("state")
              : MAPPER.createObjectNode();
      JsonNode callback = continued && json.has("callback") ? json.get("callback") : null;
      Step step =
          new Step(MAPPER, state, callback, header.apply("Offload-Callback-Url"), started, budget);
      try {
        return new StepsReply(200, JSON, MAPPER.writeValueAsBytes(handler.handle(payload, step)));
      } catch (Step.Suspend suspend) {
        return new StepsReply(
            200,
            Map.of("Content-Type", "application/json", "Offload-Continue", suspend.directive),
            MAPPER.writeValueAsBytes(state));
      }
    } catch (Exception e) {
      return new StepsReply(500, JSON, error(e));
    }
  }

  /** A handler for the JDK's {@code com.sun.net.httpserver.HttpServer}. */
  public HttpHandler httpHandler() {
    return exchange -> {
      try (exchange) {
        byte[] body = exchange.getRequestBody().readAllBytes();
        StepsReply reply = handle(exchange.getRequestHeaders()::getFirst, body);
        reply.headers().forEach(exchange.getResponseHeaders()::set);
        exchange.sendResponseHeaders(reply.status(), reply.body().length);
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(reply.body());
        }
      }
    };
  }

  private static byte[] error(Exception e) {
    try {
      return MAPPER.writeValueAsBytes(Map.of("error", String.valueOf(e.getMessage())));
    } catch (JsonProcessingException impossible) {
      throw new IllegalStateException(impossible);
    }
  }
}
