package dev.offload.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A queue's last hour minute by minute, from {@link Queues#history}: {@code buckets} of {@code
 * bucketSeconds} (60) each, oldest first, from {@code from} to {@code to}, the last one the
 * current, partial minute. {@code attemptTimeoutMs} is the shortest attempt timeout among the tasks
 * of the attempts sampled in the hour (null when none has a timeout or there were no attempts).
 */
public record QueueHistory(
    String queue,
    int bucketSeconds,
    Instant from,
    Instant to,
    Long attemptTimeoutMs,
    List<Bucket> buckets) {
  public QueueHistory {
    buckets = List.copyOf(buckets);
  }

  /**
   * The minute from {@code at}: tasks created in it, tasks that finished in it (by status), tasks
   * not finished at its end ({@code depth}), and the attempts that finished in it: how many were
   * sampled (the latest few hundred) and their duration percentiles in milliseconds (null when
   * none).
   */
  public record Bucket(
      Instant at,
      long created,
      long finished,
      long succeeded,
      long failed,
      long cancelled,
      long depth,
      long attempts,
      Long attemptP50Ms,
      Long attemptP95Ms,
      Long attemptP99Ms) {
    static Bucket from(JsonNode json) {
      JsonNode durations = json.path("attemptDurationMs");
      return new Bucket(
          Json.instant(json, "at"),
          json.path("created").asLong(),
          json.path("finished").asLong(),
          json.path("succeeded").asLong(),
          json.path("failed").asLong(),
          json.path("cancelled").asLong(),
          json.path("depth").asLong(),
          json.path("attempts").asLong(),
          Json.longValue(durations, "p50"),
          Json.longValue(durations, "p95"),
          Json.longValue(durations, "p99"));
    }
  }

  static QueueHistory from(JsonNode json) {
    List<Bucket> buckets = new ArrayList<>();
    json.path("buckets").forEach(item -> buckets.add(Bucket.from(item)));
    return new QueueHistory(
        Json.requiredText(json, "queue"),
        json.path("bucketSeconds").asInt(),
        Json.instant(json, "from"),
        Json.instant(json, "to"),
        Json.longValue(json, "attemptTimeoutMs"),
        buckets);
  }
}
