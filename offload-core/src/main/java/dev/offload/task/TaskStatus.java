package dev.offload.task;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The task statuses; every transition between them, and what triggers it, is in
 * docs/state_machine.md. {@link #wire()} is the name in the API and in storage.
 */
public enum TaskStatus {
  SCHEDULED,
  QUEUED,
  RUNNING,
  /** Between calls of a long task, until a callback is posted or its await ends; holds no lease. */
  WAITING,
  RETRYING,
  SUCCEEDED,
  FAILED,
  CANCELLED;

  /** Read for every task row and event: made once rather than lower-cased on each call. */
  private static final Map<String, TaskStatus> BY_WIRE =
      Arrays.stream(values()).collect(Collectors.toMap(TaskStatus::wire, status -> status));

  private final String wire = name().toLowerCase(Locale.ROOT);

  public String wire() {
    return wire;
  }

  public boolean isTerminal() {
    return this == SUCCEEDED || this == FAILED || this == CANCELLED;
  }

  public static Optional<TaskStatus> fromWire(String text) {
    return Optional.ofNullable(BY_WIRE.get(text));
  }
}
