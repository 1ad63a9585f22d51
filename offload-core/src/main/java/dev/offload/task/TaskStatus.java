package dev.offload.task;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** The states of DESIGN.md §2; {@link #wire()} is the name in the API and in storage. */
public enum TaskStatus {
  SCHEDULED,
  QUEUED,
  RUNNING,
  RETRYING,
  SUCCEEDED,
  FAILED,
  CANCELLED;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public boolean isTerminal() {
    return this == SUCCEEDED || this == FAILED || this == CANCELLED;
  }

  public static Optional<TaskStatus> fromWire(String text) {
    return Arrays.stream(values()).filter(s -> s.wire().equals(text)).findFirst();
  }
}
