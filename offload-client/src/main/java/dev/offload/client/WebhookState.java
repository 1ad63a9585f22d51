package dev.offload.client;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Delivery of a task's completion webhook.
 *
 * @param status {@code pending}, {@code delivered} or {@code failed}
 * @param attempts deliveries tried so far
 * @param lastError why the last delivery failed; null when none did
 */
public record WebhookState(String url, String status, int attempts, String lastError) {
  static WebhookState from(JsonNode json) {
    if (json == null || json.isNull()) return null;
    Integer attempts = Json.integer(json, "attempts");
    return new WebhookState(
        Json.text(json, "url"),
        Json.text(json, "status"),
        attempts == null ? 0 : attempts,
        Json.text(json, "lastError"));
  }
}
