package dev.offload.dispatch;

import dev.offload.task.AttemptOutcome;
import dev.offload.task.TaskResult;
import java.io.EOFException;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;
import org.eclipse.jetty.http.HttpException;

/**
 * Which answers succeed, which are retried and which fail the task at once (docs/design.md: How the
 * answer is read).
 */
public final class ResponseClassifier {
  private ResponseClassifier() {}

  /**
   * Classifies a response. {@code offloadRetry} is the {@code Offload-Retry} header and {@code
   * retryAfter} the {@code Retry-After} header; either may be null.
   */
  public static Outcome classify(
      TaskResult response, String offloadRetry, String retryAfter, Instant now) {
    int status = response.statusCode();
    if (status >= 200 && status < 300) return new Outcome.Succeeded(response);
    String error = "HTTP " + status;
    if ("false".equalsIgnoreCase(trim(offloadRetry))) {
      return new Outcome.NonRetryable(
          AttemptOutcome.HTTP_ERROR, response, error + " with Offload-Retry: false");
    }
    if (status < 200) {
      // Interim answers are skipped before this point, so this is 101: HTTP ended on the
      // connection.
      return new Outcome.NonRetryable(
          AttemptOutcome.HTTP_ERROR,
          response,
          error + ": switched protocols, which Offload never asks for");
    }
    if (status >= 300 && status < 400) {
      return new Outcome.NonRetryable(
          AttemptOutcome.HTTP_ERROR, response, error + ": redirects are not followed");
    }
    if (status >= 500 || status == 408 || status == 425 || status == 429) {
      Duration wait = status == 429 || status == 503 ? parseRetryAfter(retryAfter, now) : null;
      return new Outcome.Retryable(AttemptOutcome.HTTP_ERROR, response, error, wait);
    }
    return new Outcome.NonRetryable(AttemptOutcome.HTTP_ERROR, response, error);
  }

  /** Classifies an attempt that got no response. */
  public static Outcome classifyFailure(Throwable failure, Duration timeout) {
    Throwable cause = failure;
    while (cause.getCause() != null
        && !(cause instanceof TimeoutException)
        && !(cause instanceof CancellationException)) {
      cause = cause.getCause();
    }
    if (cause instanceof CancellationException) return new Outcome.Aborted();
    if (cause instanceof TimeoutException) {
      String limit = timeout == null ? "" : " after " + timeout.toMillis() + "ms";
      return new Outcome.Retryable(AttemptOutcome.TIMEOUT, null, "attempt timed out" + limit, null);
    }
    return new Outcome.Retryable(
        AttemptOutcome.CONNECTION_ERROR, null, describe(failure, cause), null);
  }

  /**
   * Why an exchange without a usable answer failed. An answer that is not valid HTTP (a bad
   * Content-Length or chunk, a non-HTTP reply) counts as a connection error: like a dropped
   * connection it leaves the outcome unknown, and a proxy or network fault can cause it as well as
   * a broken target, so it is retried.
   */
  private static String describe(Throwable failure, Throwable root) {
    HttpException invalid = causeOfType(failure, HttpException.class);
    if (invalid != null)
      return "connection error: the answer is not valid HTTP: " + invalid.getReason();
    if (root instanceof EOFException)
      return "connection error: the target closed the connection before a complete answer";
    SSLException tls = causeOfType(failure, SSLException.class);
    if (tls != null) return "connection error: TLS failed: " + tls.getMessage();
    String kind = root instanceof IOException ? "connection error" : "request failed";
    return kind + ": " + root.getClass().getSimpleName() + ": " + root.getMessage();
  }

  private static <T> T causeOfType(Throwable failure, Class<T> type) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (type.isInstance(cause)) return type.cast(cause);
    }
    return null;
  }

  /** {@code Retry-After} as delta-seconds or an HTTP date; null when absent or unreadable. */
  public static Duration parseRetryAfter(String value, Instant now) {
    String text = trim(value);
    if (text == null || text.isEmpty()) return null;
    if (text.chars().allMatch(Character::isDigit)) {
      return text.length() > 9 ? null : Duration.ofSeconds(Long.parseLong(text));
    }
    try {
      Instant at = ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
      return at.isAfter(now) ? Duration.between(now, at) : Duration.ZERO;
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private static String trim(String value) {
    return value == null ? null : value.trim();
  }
}
