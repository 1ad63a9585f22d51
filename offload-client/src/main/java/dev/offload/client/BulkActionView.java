package dev.offload.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Locale;

/**
 * A bulk action as {@code GET /v1/bulk-actions/{id}} shows it. Tasks the filter matched that the
 * operation does not apply to (a retry of a succeeded task) count as {@code failed}.
 *
 * @param matched the tasks the filter matched; null until the server has counted them
 * @param done the tasks the operation was applied to so far
 * @param failed the matched tasks it could not be applied to so far
 * @param finishedAt when it succeeded or was cancelled; null while running
 */
public record BulkActionView(
    String actionId,
    BulkOperation action,
    BulkFilter filter,
    Status status,
    Long matched,
    long done,
    long failed,
    Instant createdAt,
    Instant finishedAt) {

  /** Where a bulk action is. */
  public enum Status {
    RUNNING,
    SUCCEEDED,
    CANCELLED;

    public String wire() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** Succeeded or cancelled: no more tasks will be touched. */
  public boolean isFinished() {
    return status != Status.RUNNING;
  }

  /** The matched tasks handled so far, applied or not: {@code done + failed}. */
  public long processed() {
    return done + failed;
  }

  static BulkActionView from(JsonNode json) {
    return new BulkActionView(
        Json.requiredText(json, "actionId"),
        BulkOperation.fromWire(Json.requiredText(json, "action")),
        BulkFilter.from(Json.node(json, "filter")),
        Status.valueOf(Json.requiredText(json, "status").toUpperCase(Locale.ROOT)),
        Json.longValue(json, "matched"),
        json.path("done").asLong(),
        json.path("failed").asLong(),
        Json.instant(json, "createdAt"),
        Json.instant(json, "finishedAt"));
  }
}
