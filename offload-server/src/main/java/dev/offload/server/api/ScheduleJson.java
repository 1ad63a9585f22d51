package dev.offload.server.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.offload.schedule.Schedule;
import dev.offload.schedule.ScheduleDefinition;
import dev.offload.schedule.TaskTemplateJson;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** A schedule as the API shows it. */
final class ScheduleJson {
  private final ObjectMapper mapper;
  private final TaskTemplateJson templates;

  ScheduleJson(ObjectMapper mapper) {
    this.mapper = mapper;
    this.templates = new TaskTemplateJson(mapper);
  }

  /** {@code nextRuns}: how many upcoming runs to list in {@code nextRunsAt}, 0 for none. */
  ObjectNode write(Schedule schedule, int nextRuns) {
    ScheduleDefinition d = schedule.definition();
    ObjectNode json = mapper.createObjectNode();
    json.put("name", d.name());
    json.put("cron", d.cron().text());
    json.put("timezone", d.timezone().getId());
    json.set("task", templates.write(d.task()));
    json.put("paused", d.paused());
    json.put("overlap", d.overlap().wire());
    json.put("catchUp", d.catchUp().wire());
    json.put("createdAt", text(schedule.createdAt()));
    json.put("updatedAt", text(schedule.updatedAt()));
    List<Instant> upcoming = upcoming(schedule, nextRuns);
    json.put("nextRunAt", upcoming.isEmpty() ? null : upcoming.getFirst().toString());
    if (nextRuns > 0) {
      ArrayNode list = json.putArray("nextRunsAt");
      upcoming.forEach(i -> list.add(i.toString()));
    }
    json.put("lastRunAt", text(schedule.lastRunAt()));
    json.put("lastTaskId", schedule.lastTaskId() == null ? null : schedule.lastTaskId().value());
    json.put(
        "runsUrl", "/v1/tasks?scheduleName=" + URLEncoder.encode(d.name(), StandardCharsets.UTF_8));
    return json;
  }

  /** The stored next run and the slots after it; none while paused. */
  private static List<Instant> upcoming(Schedule schedule, int count) {
    List<Instant> runs = new ArrayList<>();
    if (schedule.definition().paused() || schedule.nextRunAt() == null) return runs;
    runs.add(schedule.nextRunAt());
    runs.addAll(schedule.definition().cron().next(schedule.nextRunAt(), Math.max(0, count - 1)));
    return runs;
  }

  private static String text(Instant instant) {
    return instant == null ? null : instant.toString();
  }
}
