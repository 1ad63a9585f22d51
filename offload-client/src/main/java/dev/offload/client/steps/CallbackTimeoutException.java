package dev.offload.client.steps;

/**
 * Thrown by {@link Step#waitForCallback} when nothing was posted to the callback URL within its
 * timeout.
 */
public final class CallbackTimeoutException extends RuntimeException {
  private final String step;

  CallbackTimeoutException(String step) {
    super("step \"" + step + "\": no callback came before its timeout");
    this.step = step;
  }

  public String step() {
    return step;
  }
}
