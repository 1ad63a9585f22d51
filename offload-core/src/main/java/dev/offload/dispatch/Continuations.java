package dev.offload.dispatch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.offload.sign.CallbackTokens;
import dev.offload.task.AttemptOutcome;
import dev.offload.task.Continuation;
import dev.offload.task.Task;
import dev.offload.task.TaskResult;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Long work split into many calls: reads a target's {@code Offload-Continue} answer, holds it to
 * the task's limits, and makes the headers and body of continued calls ({@code
 * Offload-Continuation}, {@code Offload-Callback-Url}, {@code {"payload","state","callback"}}).
 */
public final class Continuations {
  public static final String CONTINUE_HEADER = "Offload-Continue";
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final CallbackTokens tokens;
  private final long maxStateBytes;

  /** Where targets reach this server, without a trailing slash; known once the server listens. */
  private volatile String callbackBase;

  public Continuations(CallbackTokens tokens, long maxStateBytes) {
    this.tokens = tokens;
    this.maxStateBytes = maxStateBytes;
  }

  /**
   * Sets the base of callback URLs (e.g. {@code https://offload.example.com}); calls carry none
   * before.
   */
  public void callbackBase(String base) {
    callbackBase = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
  }

  public CallbackTokens tokens() {
    return tokens;
  }

  /**
   * A 2xx answer with {@code Offload-Continue: header}: continued with its body as the state, or
   * failed at once with an error quoting what the target sent when the header or body is not valid.
   */
  static Outcome read(TaskResult response, String header) {
    ContinueDirective directive;
    try {
      directive = ContinueDirective.parse(header);
    } catch (IllegalArgumentException e) {
      return new Outcome.NonRetryable(AttemptOutcome.HTTP_ERROR, response, e.getMessage());
    }
    String body = response.body() == null ? "" : response.body();
    if (response.truncated()) {
      return new Outcome.NonRetryable(
          AttemptOutcome.HTTP_ERROR,
          response,
          "the state sent with Offload-Continue is over the "
              + body.length()
              + "-character response limit");
    }
    if (body.isBlank()) return new Outcome.Continued(response, directive, null);
    if (!CappedBodyListener.isJsonText(body)) {
      return new Outcome.NonRetryable(
          AttemptOutcome.HTTP_ERROR,
          response,
          "the state sent with Offload-Continue is not JSON: \"" + excerpt(body) + "\"");
    }
    return new Outcome.Continued(response, directive, body.strip());
  }

  /** {@code outcome}, or a failure when a continuation breaks {@code task}'s limits. */
  Outcome settle(Task task, Outcome outcome) {
    if (!(outcome instanceof Outcome.Continued continued)) return outcome;
    Continuation chain = task.continuation();
    if (chain.count() >= chain.max()) {
      return new Outcome.NonRetryable(
          continued.kind(),
          continued.response(),
          "Offload-Continue refused: the task reached maxContinuations (" + chain.max() + ")");
    }
    long bytes =
        continued.state() == null ? 0 : continued.state().getBytes(StandardCharsets.UTF_8).length;
    if (bytes > maxStateBytes) {
      return new Outcome.NonRetryable(
          continued.kind(),
          continued.response(),
          "the state sent with Offload-Continue is "
              + bytes
              + " bytes; the limit is "
              + maxStateBytes
              + " (--max-payload)");
    }
    return outcome;
  }

  /** Adds the long-work headers of a call to {@code task}. */
  void addHeaders(Task task, Map<String, String> headers) {
    int count = task.continuation().count();
    if (count > 0) headers.put("Offload-Continuation", Integer.toString(count));
    String base = callbackBase;
    if (base != null)
      headers.put(
          "Offload-Callback-Url", base + "/v1/callbacks/" + tokens.tokenFor(task.id(), count));
  }

  /**
   * The body of a continued call, {@code {"payload","state","callback"?}}; null for a first call.
   */
  byte[] body(Task task) {
    Continuation chain = task.continuation();
    if (chain.count() == 0) return null;
    StringBuilder json =
        new StringBuilder(256)
            .append("{\"payload\":")
            .append(payload(task))
            .append(",\"state\":")
            .append(chain.state() == null ? "null" : chain.state());
    String callback = chain.callbackForNextCall();
    if (callback != null) json.append(",\"callback\":").append(callback);
    return json.append('}').toString().getBytes(StandardCharsets.UTF_8);
  }

  private static String payload(Task task) {
    if (task.body() == null) return "null";
    if (task.contentType() == null) return task.body();
    try {
      return MAPPER.writeValueAsString(task.body());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot quote the body of " + task.id(), e);
    }
  }

  private static String excerpt(String body) {
    return body.length() <= 200 ? body : body.substring(0, 200) + "…";
  }
}
