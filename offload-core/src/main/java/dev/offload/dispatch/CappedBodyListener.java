package dev.offload.dispatch;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import dev.offload.task.TaskResult;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.http.HttpHeader;

/** Keeps the first {@code cap} bytes of a response body, then classifies the exchange. */
final class CappedBodyListener implements Response.Listener {
  private static final JsonFactory JSON = new JsonFactory();

  private final int cap;
  private final Duration timeout;
  private final Clock clock;
  private final CompletableFuture<Outcome> outcome;
  private final ByteArrayOutputStream body = new ByteArrayOutputStream();
  private boolean truncated;

  CappedBodyListener(int cap, Duration timeout, Clock clock, CompletableFuture<Outcome> outcome) {
    this.cap = cap;
    this.timeout = timeout;
    this.clock = clock;
    this.outcome = outcome;
  }

  @Override
  public void onContent(Response response, ByteBuffer content) {
    int room = cap - body.size();
    int length = content.remaining();
    if (length > room) truncated = true;
    int take = Math.min(room, length);
    if (take > 0) {
      byte[] bytes = new byte[take];
      content.get(bytes);
      body.write(bytes, 0, take);
    }
  }

  @Override
  public void onComplete(Result result) {
    try {
      outcome.complete(classify(result));
    } catch (RuntimeException e) {
      outcome.completeExceptionally(e);
    }
  }

  private Outcome classify(Result result) {
    Response response = result.getResponse();
    if (result.isFailed()
        && (response == null || response.getStatus() <= 0 || result.getResponseFailure() != null)) {
      return ResponseClassifier.classifyFailure(result.getFailure(), timeout);
    }
    String contentType = response.getHeaders().get(HttpHeader.CONTENT_TYPE);
    String text = body.toString(StandardCharsets.UTF_8);
    TaskResult taskResult =
        new TaskResult(
            response.getStatus(),
            contentType,
            text,
            !truncated && isJson(contentType, text),
            truncated);
    String continueHeader = response.getHeaders().get(Continuations.CONTINUE_HEADER);
    if (continueHeader != null && response.getStatus() / 100 == 2)
      return Continuations.read(taskResult, continueHeader);
    return ResponseClassifier.classify(
        taskResult,
        response.getHeaders().get("Offload-Retry"),
        response.getHeaders().get(HttpHeader.RETRY_AFTER),
        clock.instant());
  }

  /**
   * One well-formed JSON value and nothing after it; checked by tokens, without building a tree.
   */
  static boolean isJson(String contentType, String text) {
    if (contentType == null
        || !contentType.toLowerCase(Locale.ROOT).contains("json")
        || text.isBlank()) return false;
    return isJsonText(text);
  }

  static boolean isJsonText(String text) {
    try (JsonParser parser = JSON.createParser(text)) {
      if (parser.nextToken() == null) return false;
      parser.skipChildren();
      return parser.nextToken() == null;
    } catch (IOException e) {
      return false;
    }
  }
}
