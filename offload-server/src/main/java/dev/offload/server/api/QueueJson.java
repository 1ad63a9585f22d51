package dev.offload.server.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.offload.queue.QueueInfo;
import dev.offload.queue.QueueInfo.AttemptDurations;
import dev.offload.queue.QueueSettings;
import dev.offload.queue.QueueTimeline;
import dev.offload.task.TaskStatus;

/** The JSON of a queue ({@code GET /v1/queues/{name}}) and of its history ({@code …/history}). */
final class QueueJson {
  private QueueJson() {}

  static ObjectNode queue(ObjectMapper mapper, QueueInfo queue) {
    ObjectNode json = mapper.createObjectNode();
    QueueSettings settings = queue.settings();
    json.put("name", queue.name());
    json.put("paused", settings.paused());
    json.put("concurrency", settings.concurrency());
    json.put("ratePerSecond", settings.ratePerSecond());
    json.put("burst", settings.ratePerSecond() == null ? null : settings.effectiveBurst());
    json.put(
        "retainSucceeded",
        settings.retainSucceeded() == null ? null : settings.retainSucceeded().toString());
    json.put(
        "retainFailed",
        settings.retainFailed() == null ? null : settings.retainFailed().toString());
    ObjectNode counts = json.putObject("counts");
    for (TaskStatus status : TaskStatus.values())
      counts.put(status.wire(), queue.counts().getOrDefault(status, 0L));
    json.put("inFlight", queue.inFlight());
    json.put("oldestReadyAgeMs", queue.oldestReadyAgeMs());
    json.putObject("throughput")
        .put("lastMinute", queue.throughput().lastMinute())
        .put("lastHour", queue.throughput().lastHour());
    durations(json, queue.attemptDurationMs());
    json.put("attemptTimeoutMs", queue.attemptTimeoutMs());
    json.put("attemptSamples", queue.attemptSamples());
    json.put("nearTimeout", queue.nearTimeout());
    return json;
  }

  static ObjectNode timeline(ObjectMapper mapper, QueueTimeline timeline) {
    ObjectNode json = mapper.createObjectNode();
    json.put("queue", timeline.queue());
    json.put("bucketSeconds", QueueTimeline.BUCKET.toSeconds());
    json.put("from", timeline.from().toString());
    json.put("to", timeline.to().toString());
    json.put("attemptTimeoutMs", timeline.attemptTimeoutMs());
    ArrayNode buckets = json.putArray("buckets");
    for (QueueTimeline.Bucket bucket : timeline.buckets()) {
      ObjectNode item = buckets.addObject();
      item.put("at", bucket.at().toString());
      item.put("created", bucket.created());
      item.put("finished", bucket.finished());
      item.put("succeeded", bucket.succeeded());
      item.put("failed", bucket.failed());
      item.put("cancelled", bucket.cancelled());
      item.put("depth", bucket.depth());
      item.put("attempts", bucket.attempts());
      durations(item, bucket.attemptDurationMs());
    }
    return json;
  }

  private static void durations(ObjectNode into, AttemptDurations durations) {
    into.putObject("attemptDurationMs")
        .put("p50", durations.p50())
        .put("p95", durations.p95())
        .put("p99", durations.p99());
  }
}
