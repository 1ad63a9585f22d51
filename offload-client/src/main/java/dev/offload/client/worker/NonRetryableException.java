package dev.offload.client.worker;

/** Thrown by a {@link Handler}: the task fails at once, whatever retries it has left. */
public class NonRetryableException extends RuntimeException {
  public NonRetryableException(String message) {
    super(message);
  }

  public NonRetryableException(String message, Throwable cause) {
    super(message, cause);
  }
}
