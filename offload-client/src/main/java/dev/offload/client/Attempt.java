package dev.offload.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * One attempt of a task, as {@code GET /v1/tasks/{id}/attempts} lists it.
 *
 * @param number 1 for the first attempt
 * @param finishedAt null while the attempt runs
 * @param durationMs null while the attempt runs
 * @param statusCode the target's HTTP status; null when no answer arrived
 * @param error why the attempt failed; null when it succeeded
 * @param responseExcerpt the start of the target's answer; may be null
 * @param node the server node that ran the attempt
 */
public record Attempt(
    int number,
    Instant startedAt,
    Instant finishedAt,
    Long durationMs,
    AttemptOutcome outcome,
    Integer statusCode,
    String error,
    String responseExcerpt,
    String node) {
  static Attempt from(JsonNode json) {
    String outcome = Json.text(json, "outcome");
    return new Attempt(
        json.path("number").asInt(),
        Json.instant(json, "startedAt"),
        Json.instant(json, "finishedAt"),
        Json.longValue(json, "durationMs"),
        outcome == null ? null : AttemptOutcome.fromWire(outcome),
        Json.integer(json, "statusCode"),
        Json.text(json, "error"),
        Json.text(json, "responseExcerpt"),
        Json.text(json, "node"));
  }
}
