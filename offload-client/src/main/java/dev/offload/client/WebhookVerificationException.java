package dev.offload.client;

/**
 * A signed request from Offload (a push call or a webhook) failed verification: a header is
 * missing, the timestamp is too old or in the future, or no signature matches. Answer such a
 * request with 400 or 401 and do not act on it.
 */
public class WebhookVerificationException extends RuntimeException {
  public WebhookVerificationException(String message) {
    super(message);
  }
}
