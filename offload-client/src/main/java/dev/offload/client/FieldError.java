package dev.offload.client;

/**
 * One invalid input named by an API problem: {@code field} is a JSON path such as {@code
 * "retries"}, {@code "backoff.initial"} or {@code "tasks[2].callbackUrl"}, or a header name such as
 * {@code "Idempotency-Key"}.
 */
public record FieldError(String field, String message) {
  @Override
  public String toString() {
    return field + ": " + message;
  }
}
