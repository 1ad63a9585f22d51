package dev.offload.client;

import java.util.Locale;

/** What a bulk action does to each task its filter matches; {@link #wire()} is the API's name. */
public enum BulkOperation {
  /** Re-queues failed and cancelled tasks with a fresh retry budget. */
  RETRY,
  /** Cancels tasks that are not finished. */
  CANCEL,
  /** Deletes finished tasks. */
  DELETE;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The operation named {@code text} by the API; throws {@link IllegalArgumentException} else. */
  public static BulkOperation fromWire(String text) {
    for (BulkOperation operation : values()) {
      if (operation.wire().equals(text)) return operation;
    }
    throw new IllegalArgumentException("unknown bulk action \"" + text + "\"");
  }
}
