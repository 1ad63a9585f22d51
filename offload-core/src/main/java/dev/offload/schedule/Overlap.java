package dev.offload.schedule;

import java.util.Locale;
import java.util.Optional;

/** What a due slot does while the previous run's task is not finished. */
public enum Overlap {
  /** Fire anyway. */
  ALLOW,
  /** Skip the slot. */
  SKIP;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<Overlap> fromWire(String text) {
    for (Overlap o : values()) if (o.wire().equals(text)) return Optional.of(o);
    return Optional.empty();
  }
}
