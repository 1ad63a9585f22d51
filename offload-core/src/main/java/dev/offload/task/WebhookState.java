package dev.offload.task;

import java.util.Locale;

/** Delivery state of a task's completion webhook. */
public record WebhookState(String url, Delivery status, int attempts, String lastError) {
  public enum Delivery {
    PENDING,
    DELIVERED,
    FAILED;

    public String wire() {
      return name().toLowerCase(Locale.ROOT);
    }

    public static Delivery fromWire(String text) {
      return valueOf(text.toUpperCase(Locale.ROOT));
    }
  }
}
