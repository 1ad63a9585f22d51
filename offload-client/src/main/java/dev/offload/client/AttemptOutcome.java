package dev.offload.client;

import java.util.Locale;

/** How one attempt ended; {@link #wire()} is the API's name ({@code "http_error"}). */
public enum AttemptOutcome {
  SUCCEEDED,
  /** The target answered with a status that is not a success. */
  HTTP_ERROR,
  /** The attempt ran past the task's timeout. */
  TIMEOUT,
  /** The target could not be reached or the connection broke. */
  CONNECTION_ERROR,
  /** The node running the attempt stopped renewing its lease (it died); the task was retried. */
  LEASE_EXPIRED,
  /** The task was cancelled while the attempt ran. */
  CANCELLED,
  /** A pull worker reported that the attempt failed. */
  WORKER_ERROR,
  /** The target answered with {@code Offload-Continue}: called again at once or after a sleep. */
  CONTINUED,
  /**
   * The target answered with {@code Offload-Continue: await=…}: called again when a callback comes.
   */
  AWAITING;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The outcome named {@code text} by the API; throws {@link IllegalArgumentException} for another.
   */
  public static AttemptOutcome fromWire(String text) {
    for (AttemptOutcome outcome : values()) {
      if (outcome.wire().equals(text)) return outcome;
    }
    throw new IllegalArgumentException("unknown attempt outcome \"" + text + "\"");
  }
}
