package dev.offload.schedule;

import java.util.Locale;
import java.util.Optional;

/** Which of the slots missed while no node ran (or the store was unreachable) still fire. */
public enum CatchUp {
  /** Only the most recent missed slot fires, once. */
  LATEST,
  /** None: a slot found more than {@link #LATE_AFTER} late is skipped. */
  NONE;

  /** How late a slot may fire before {@link #NONE} counts it as missed. */
  public static final java.time.Duration LATE_AFTER = java.time.Duration.ofMinutes(1);

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<CatchUp> fromWire(String text) {
    for (CatchUp c : values()) if (c.wire().equals(text)) return Optional.of(c);
    return Optional.empty();
  }
}
