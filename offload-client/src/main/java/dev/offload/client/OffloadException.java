package dev.offload.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The server refused a request: an RFC 9457 problem ({@code application/problem+json}) with its
 * {@link #status()}, {@link #type()}, {@link #title()}, {@link #detail()} and the per-field {@link
 * #errors()} of a 400. The message reads like {@code "400 Invalid request: retries: must be a whole
 * number from 0 to 100 (POST /v1/tasks, request req_…)"}.
 *
 * <p>Statuses worth telling apart: 400 invalid input, 404 no such task, 409 a conflict (an action
 * on a task in the wrong state, or an idempotency key reused for a different request), 413 payload
 * too large, 503 storage unavailable (nothing was changed; retry). A request that never got an
 * answer throws the subclass {@link OffloadConnectionException} instead.
 */
public class OffloadException extends RuntimeException {
  private final int status;
  private final String type;
  private final String title;
  private final String detail;
  private final List<FieldError> errors;
  private final String request;
  private final String requestId;

  /**
   * @param request what was asked, such as {@code "POST /v1/tasks"}
   * @param requestId the server's {@code Offload-Request-Id}, or null
   */
  public OffloadException(
      int status,
      String type,
      String title,
      String detail,
      List<FieldError> errors,
      String request,
      String requestId) {
    this(status, type, title, detail, errors, request, requestId, null);
  }

  protected OffloadException(
      int status,
      String type,
      String title,
      String detail,
      List<FieldError> errors,
      String request,
      String requestId,
      Throwable cause) {
    super(message(status, title, detail, request, requestId), cause);
    this.status = status;
    this.type = type == null ? "about:blank" : type;
    this.title = title;
    this.detail = detail;
    this.errors = List.copyOf(errors);
    this.request = request;
    this.requestId = requestId;
  }

  /**
   * Reads an error answer: its problem fields when the body is a problem object, else the status
   * and the start of the body. {@code body} may be null or not JSON at all (a proxy's HTML page).
   */
  static OffloadException fromAnswer(int status, String body, String request, String requestId) {
    JsonNode problem = null;
    try {
      problem = body == null || body.isBlank() ? null : Json.parse(body);
    } catch (java.io.IOException e) {
      // not JSON: described by its text below
    }
    if (problem == null || !problem.isObject()) {
      String text = body == null || body.isBlank() ? "the answer had no body" : excerpt(body);
      return new OffloadException(
          status, null, "HTTP " + status, text, List.of(), request, requestId);
    }
    List<FieldError> errors = new ArrayList<>();
    problem
        .path("errors")
        .forEach(
            error ->
                errors.add(new FieldError(Json.text(error, "field"), Json.text(error, "message"))));
    String title = Json.text(problem, "title");
    return new OffloadException(
        status,
        Json.text(problem, "type"),
        title == null ? "HTTP " + status : title,
        Json.text(problem, "detail"),
        errors,
        request,
        requestId);
  }

  private static String message(
      int status, String title, String detail, String request, String requestId) {
    StringBuilder message = new StringBuilder();
    if (status > 0) message.append(status).append(' ');
    message.append(title);
    if (detail != null && !detail.isBlank()) message.append(": ").append(detail);
    message.append(" (").append(request);
    if (requestId != null) message.append(", request ").append(requestId);
    return message.append(')').toString();
  }

  private static String excerpt(String body) {
    String oneLine = body.strip().replaceAll("\\s+", " ");
    return oneLine.length() <= 200 ? oneLine : oneLine.substring(0, 200) + "…";
  }

  /** The HTTP status; 0 when no answer arrived ({@link OffloadConnectionException}). */
  public int status() {
    return status;
  }

  /** The problem type URI; {@code "about:blank"} when the server gives none. */
  public String type() {
    return type;
  }

  public String title() {
    return title;
  }

  /** What went wrong, for a human; may be null. */
  public String detail() {
    return detail;
  }

  /** The invalid fields, in the server's order; empty unless the problem lists some. */
  public List<FieldError> errors() {
    return errors;
  }

  /** What was asked, such as {@code "POST /v1/tasks"}. */
  public String request() {
    return request;
  }

  /** The server's {@code Offload-Request-Id} for finding the request in its log; may be null. */
  public String requestId() {
    return requestId;
  }
}
