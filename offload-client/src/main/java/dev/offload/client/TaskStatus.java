package dev.offload.client;

import java.util.Locale;

/** The states of a task; {@link #wire()} is the name the API uses ({@code "queued"}). */
public enum TaskStatus {
  /** Waiting for its {@code runAt} (a delay). */
  SCHEDULED,
  /** Ready, waiting for a dispatcher or worker. */
  QUEUED,
  /** An attempt is in flight. */
  RUNNING,
  /** Between the calls of a long task, until a callback is posted or its await ends. */
  WAITING,
  /** The last attempt failed; waiting for the backoff to elapse. */
  RETRYING,
  /** Terminal: an attempt succeeded. */
  SUCCEEDED,
  /** Terminal: retries exhausted, or a failure that is not retried. */
  FAILED,
  /** Terminal: cancelled by a user. */
  CANCELLED;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Succeeded, failed or cancelled: the task will not run again unless retried. */
  public boolean isTerminal() {
    return this == SUCCEEDED || this == FAILED || this == CANCELLED;
  }

  /**
   * The status named {@code text} by the API; throws {@link IllegalArgumentException} for another.
   */
  public static TaskStatus fromWire(String text) {
    for (TaskStatus status : values()) {
      if (status.wire().equals(text)) return status;
    }
    throw new IllegalArgumentException("unknown task status \"" + text + "\"");
  }
}
