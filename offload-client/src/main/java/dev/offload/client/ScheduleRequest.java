package dev.offload.client;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;
import java.util.Objects;

/**
 * A cron schedule to declare ({@code PUT /v1/schedules/{name}}): each due slot creates one task
 * from {@code task}, which must not set a delay, runAt or idempotency key. Null options take the
 * server's defaults (time zone UTC, overlap allow, catch-up latest).
 *
 * <pre>{@code
 * offload.schedules().put("nightly-export", ScheduleRequest.of("0 3 * * *", TaskRequest.builder()
 *         .callbackUrl("https://app.example.com/jobs/export").build())
 *     .withTimezone("Europe/Berlin")
 *     .withOverlap(ScheduleRequest.Overlap.SKIP));
 * }</pre>
 *
 * @param cron a 5-field Unix cron, a macro such as {@code @daily}, or {@code @every 30s}
 * @param timezone an IANA time zone such as {@code Europe/Berlin}; null for UTC
 */
public record ScheduleRequest(
    String cron,
    String timezone,
    TaskRequest task,
    boolean paused,
    Overlap overlap,
    CatchUp catchUp) {
  /** What a slot does while the previous run is unfinished. */
  public enum Overlap {
    ALLOW,
    SKIP
  }

  /** What fires after downtime: the most recent missed slot, or nothing. */
  public enum CatchUp {
    LATEST,
    NONE
  }

  public ScheduleRequest {
    Objects.requireNonNull(cron, "cron");
    Objects.requireNonNull(task, "task");
  }

  public static ScheduleRequest of(String cron, TaskRequest task) {
    return new ScheduleRequest(cron, null, task, false, null, null);
  }

  public ScheduleRequest withTimezone(String value) {
    return new ScheduleRequest(cron, value, task, paused, overlap, catchUp);
  }

  public ScheduleRequest withPaused(boolean value) {
    return new ScheduleRequest(cron, timezone, task, value, overlap, catchUp);
  }

  public ScheduleRequest withOverlap(Overlap value) {
    return new ScheduleRequest(cron, timezone, task, paused, value, catchUp);
  }

  public ScheduleRequest withCatchUp(CatchUp value) {
    return new ScheduleRequest(cron, timezone, task, paused, overlap, value);
  }

  ObjectNode toJson() {
    ObjectNode json = JsonNodeFactory.instance.objectNode().put("cron", cron);
    if (timezone != null) json.put("timezone", timezone);
    json.set("task", task.toJson());
    if (paused) json.put("paused", true);
    if (overlap != null) json.put("overlap", overlap.name().toLowerCase(Locale.ROOT));
    if (catchUp != null) json.put("catchUp", catchUp.name().toLowerCase(Locale.ROOT));
    return json;
  }
}
