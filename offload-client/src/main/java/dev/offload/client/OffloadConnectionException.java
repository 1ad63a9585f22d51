package dev.offload.client;

import java.util.List;

/**
 * No answer arrived: the server could not be reached, the connection broke, the request timed out
 * ({@link OffloadClient.Builder#requestTimeout}), the calling thread was interrupted, or the client
 * was closed. {@link #status()} is 0. Whether the server acted on the request is unknown, so retry
 * creates with an {@code idempotencyKey}.
 */
public class OffloadConnectionException extends OffloadException {
  public OffloadConnectionException(String detail, String request, Throwable cause) {
    super(0, null, "No answer from Offload", detail, List.of(), request, null, cause);
  }
}
