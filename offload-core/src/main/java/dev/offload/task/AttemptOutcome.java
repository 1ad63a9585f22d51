package dev.offload.task;

import java.util.Arrays;
import java.util.Locale;

/** How one attempt ended, as listed in {@code GET /v1/tasks/{id}/attempts}. */
public enum AttemptOutcome {
  SUCCEEDED,
  HTTP_ERROR,
  TIMEOUT,
  CONNECTION_ERROR,
  LEASE_EXPIRED,
  CANCELLED,
  /** A pull worker reported that its attempt failed. */
  WORKER_ERROR;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static AttemptOutcome fromWire(String text) {
    return Arrays.stream(values())
        .filter(o -> o.wire().equals(text))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("unknown attempt outcome: " + text));
  }
}
