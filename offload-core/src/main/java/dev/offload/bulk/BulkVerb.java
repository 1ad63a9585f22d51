package dev.offload.bulk;

import dev.offload.task.TaskStatus;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** What a bulk action does to each task it matches, as the single-task endpoint of that name. */
public enum BulkVerb {
  /** As {@code POST /v1/tasks/{id}/retry}: failed and cancelled tasks. */
  RETRY,
  /** As {@code POST /v1/tasks/{id}/cancel}: unfinished tasks. */
  CANCEL,
  /** As {@code DELETE /v1/tasks/{id}}: finished tasks. */
  DELETE;

  private final String wire = name().toLowerCase(Locale.ROOT);

  public String wire() {
    return wire;
  }

  /** Whether a task in {@code status} can be acted on; the others are counted as failed. */
  public boolean appliesTo(TaskStatus status) {
    return switch (this) {
      case RETRY -> status == TaskStatus.FAILED || status == TaskStatus.CANCELLED;
      case CANCEL -> !status.isTerminal();
      case DELETE -> status.isTerminal();
    };
  }

  public static Optional<BulkVerb> fromWire(String text) {
    return Arrays.stream(values()).filter(v -> v.wire.equals(text)).findFirst();
  }
}
