package dev.offload.bulk;

import java.util.Arrays;
import java.util.Locale;

/**
 * Where a bulk action is: {@code running} until every matched task was visited or it is cancelled.
 */
public enum BulkStatus {
  RUNNING,
  SUCCEEDED,
  CANCELLED;

  private final String wire = name().toLowerCase(Locale.ROOT);

  public String wire() {
    return wire;
  }

  public static BulkStatus fromWire(String text) {
    return Arrays.stream(values())
        .filter(s -> s.wire.equals(text))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("not a bulk action status: " + text));
  }
}
