package dev.offload.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * What a batch heartbeat found for one task: its lease was {@code RENEWED} until {@code
 * leaseExpiresAt}, or the worker should stop working on it because it was {@code CANCELLED}, the
 * lease was {@code LOST} ({@code detail} says why) or the task is gone ({@code NOT_FOUND}).
 */
public record LeaseState(String taskId, Outcome outcome, Instant leaseExpiresAt, String detail) {
  public enum Outcome {
    RENEWED,
    CANCELLED,
    LOST,
    NOT_FOUND
  }

  /** Whether the worker should stop working on the task. */
  public boolean stop() {
    return outcome != Outcome.RENEWED;
  }

  static LeaseState from(JsonNode json) {
    Outcome outcome =
        switch (json.path("outcome").asText()) {
          case "renewed" -> Outcome.RENEWED;
          case "cancelled" -> Outcome.CANCELLED;
          case "not_found" -> Outcome.NOT_FOUND;
          default -> Outcome.LOST;
        };
    return new LeaseState(
        Json.requiredText(json, "taskId"),
        outcome,
        Json.instant(json, "leaseExpiresAt"),
        Json.text(json, "detail"));
  }
}
