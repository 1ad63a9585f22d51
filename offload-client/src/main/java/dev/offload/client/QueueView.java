package dev.offload.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.EnumMap;
import java.util.Map;

/**
 * A queue as the server shows it: its settings, task counts by status, tasks in flight, age of the
 * oldest ready task (null when none is ready), tasks finished in the last minute and hour, attempt
 * duration percentiles in milliseconds over the last hour (null without attempts), the shortest
 * attempt timeout of those attempts' tasks (null when none has one), and whether p95 is past 70 %
 * of that timeout ({@code nearTimeout}).
 */
public record QueueView(
    String name,
    QueueSettings settings,
    Map<TaskStatus, Long> counts,
    long inFlight,
    Long oldestReadyAgeMs,
    long finishedLastMinute,
    long finishedLastHour,
    Long attemptP50Ms,
    Long attemptP95Ms,
    Long attemptP99Ms,
    Long attemptTimeoutMs,
    boolean nearTimeout) {
  public QueueView {
    counts = Map.copyOf(counts);
  }

  static QueueView from(JsonNode json) {
    Map<TaskStatus, Long> counts = new EnumMap<>(TaskStatus.class);
    json.path("counts")
        .properties()
        .forEach(c -> counts.put(TaskStatus.fromWire(c.getKey()), c.getValue().asLong()));
    JsonNode rate = json.path("ratePerSecond");
    QueueSettings settings =
        new QueueSettings(
            Json.integer(json, "concurrency"),
            rate.isNumber() ? rate.asDouble() : null,
            Json.integer(json, "burst"),
            json.path("paused").asBoolean());
    JsonNode durations = json.path("attemptDurationMs");
    return new QueueView(
        Json.requiredText(json, "name"),
        settings,
        counts,
        json.path("inFlight").asLong(),
        Json.longValue(json, "oldestReadyAgeMs"),
        json.path("throughput").path("lastMinute").asLong(),
        json.path("throughput").path("lastHour").asLong(),
        Json.longValue(durations, "p50"),
        Json.longValue(durations, "p95"),
        Json.longValue(durations, "p99"),
        Json.longValue(json, "attemptTimeoutMs"),
        json.path("nearTimeout").asBoolean());
  }
}
