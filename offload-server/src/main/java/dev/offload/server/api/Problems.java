package dev.offload.server.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.offload.store.StoreException;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns every failure into RFC 9457 {@code application/problem+json}; nothing leaks a stack trace.
 * The statuses and titles are listed in docs/design.md (Problems).
 */
public final class Problems {
  private static final Logger log = LoggerFactory.getLogger(Problems.class);
  public static final String CONTENT_TYPE = "application/problem+json";

  private final ObjectMapper mapper;

  public Problems(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  public void register(RoutesConfig routes) {
    routes.exception(
        ApiException.class,
        (e, ctx) -> write(ctx, e.status(), e.title(), e.getMessage(), e.errors()));
    routes.exception(
        HttpResponseException.class,
        (e, ctx) -> write(ctx, e.getStatus(), title(e.getStatus()), e.getMessage(), List.of()));
    routes.exception(
        StoreException.class,
        (e, ctx) -> {
          log.warn("storage unavailable: {}", e.getMessage());
          write(
              ctx,
              503,
              "Storage unavailable",
              "the task store did not answer; nothing was changed, try again",
              List.of());
        });
    // A body the client framed wrongly (a chunked body that is not chunked, a connection closed
    // early).
    routes.exception(
        IOException.class,
        (e, ctx) ->
            write(
                ctx,
                400,
                "Invalid request",
                "the request body could not be read: " + e.getMessage(),
                List.of()));
    routes.exception(
        Exception.class,
        (e, ctx) -> {
          log.error("unexpected error on {} {}", ctx.method(), ctx.path(), e);
          write(
              ctx,
              500,
              "Internal error",
              "an unexpected error occurred; see the server log for request "
                  + ctx.res().getHeader("Offload-Request-Id"),
              List.of());
        });
    routes.error(
        404,
        ctx -> {
          if (!CONTENT_TYPE.equals(ctx.res().getContentType())) {
            write(
                ctx,
                404,
                "Not found",
                "no route for " + ctx.method() + " " + ctx.path(),
                List.of());
          }
        });
    routes.error(
        405,
        ctx -> {
          if (!CONTENT_TYPE.equals(ctx.res().getContentType())) {
            write(
                ctx,
                405,
                "Method not allowed",
                ctx.method() + " is not allowed on " + ctx.path(),
                List.of());
          }
        });
  }

  private void write(
      Context ctx, int status, String title, String detail, List<FieldError> errors) {
    ObjectNode body = mapper.createObjectNode();
    body.put("type", "about:blank");
    body.put("title", title);
    body.put("status", status);
    body.put("detail", detail);
    if (!errors.isEmpty()) {
      ArrayNode list = body.putArray("errors");
      for (FieldError error : errors)
        list.addObject().put("field", error.field()).put("message", error.message());
    }
    StringBuilder summary = new StringBuilder(title).append(": ").append(detail);
    for (FieldError error : errors)
      summary.append("; ").append(error.field()).append(": ").append(error.message());
    ctx.attribute(RequestLog.PROBLEM_ATTRIBUTE, summary.toString());
    // As bytes: Jetty encodes text of a type it does not know as ISO-8859-1, which turned the "…"
    // of
    // details into "?"; JSON is UTF-8 (RFC 8259).
    ctx.status(status)
        .contentType(CONTENT_TYPE)
        .result(body.toString().getBytes(StandardCharsets.UTF_8));
  }

  private static String title(int status) {
    return switch (status) {
      case 400 -> "Invalid request";
      case 404 -> "Not found";
      case 405 -> "Method not allowed";
      case 413 -> "Request too large";
      case 415 -> "Unsupported media type";
      default -> "HTTP " + status;
    };
  }
}
