package dev.offload.task;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * How one attempt ended, as listed in {@code GET /v1/tasks/{id}/attempts} (docs/design.md:
 * Lifecycle).
 */
public enum AttemptOutcome {
  SUCCEEDED,
  HTTP_ERROR,
  TIMEOUT,
  CONNECTION_ERROR,
  LEASE_EXPIRED,
  CANCELLED,
  /** A pull worker reported that its attempt failed. */
  WORKER_ERROR,
  /** The target answered with {@code Offload-Continue}: call again now or after a sleep. */
  CONTINUED,
  /**
   * The target answered with {@code Offload-Continue: await=…}: call again when a callback comes.
   */
  AWAITING;

  /** Read for every attempt row: made once rather than lower-cased on each call. */
  private static final Map<String, AttemptOutcome> BY_WIRE =
      Arrays.stream(values()).collect(Collectors.toMap(AttemptOutcome::wire, outcome -> outcome));

  private final String wire = name().toLowerCase(Locale.ROOT);

  public String wire() {
    return wire;
  }

  public static AttemptOutcome fromWire(String text) {
    AttemptOutcome outcome = BY_WIRE.get(text);
    if (outcome == null) throw new IllegalArgumentException("unknown attempt outcome: " + text);
    return outcome;
  }
}
