package dev.offload.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A schedule as {@code GET /v1/schedules/{name}} shows it.
 *
 * @param task the task each run creates, every field spelled out as in a task request
 * @param nextRunAt the next slot; null while paused
 * @param nextRunsAt the next slots when asked for ({@link Schedules#get(String, int)}); empty
 *     otherwise
 * @param lastRunAt the slot (or trigger time) of the latest run; null before the first
 * @param lastTaskId the task of the latest run; list every run with {@code
 *     ListQuery.builder().scheduleName(name)}
 */
public record ScheduleView(
    String name,
    String cron,
    String timezone,
    JsonNode task,
    boolean paused,
    ScheduleRequest.Overlap overlap,
    ScheduleRequest.CatchUp catchUp,
    Instant createdAt,
    Instant updatedAt,
    Instant nextRunAt,
    List<Instant> nextRunsAt,
    Instant lastRunAt,
    String lastTaskId) {
  public ScheduleView {
    nextRunsAt = List.copyOf(nextRunsAt);
  }

  static ScheduleView from(JsonNode json) {
    List<Instant> next = new ArrayList<>();
    json.path("nextRunsAt").forEach(item -> next.add(Instant.parse(item.textValue())));
    return new ScheduleView(
        Json.requiredText(json, "name"),
        Json.requiredText(json, "cron"),
        Json.requiredText(json, "timezone"),
        Json.node(json, "task"),
        json.path("paused").booleanValue(),
        ScheduleRequest.Overlap.valueOf(
            Json.requiredText(json, "overlap").toUpperCase(Locale.ROOT)),
        ScheduleRequest.CatchUp.valueOf(
            Json.requiredText(json, "catchUp").toUpperCase(Locale.ROOT)),
        Json.instant(json, "createdAt"),
        Json.instant(json, "updatedAt"),
        Json.instant(json, "nextRunAt"),
        next,
        Json.instant(json, "lastRunAt"),
        Json.text(json, "lastTaskId"));
  }
}
