package dev.offload.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.offload.schedule.CatchUp;
import dev.offload.schedule.CronSpec;
import dev.offload.schedule.InvalidCronException;
import dev.offload.schedule.Overlap;
import dev.offload.schedule.ScheduleDefinition;
import dev.offload.schedule.TaskTemplate;
import dev.offload.task.NewTask;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Set;

/**
 * Validates a schedule (README: Schedules) into a {@link ScheduleDefinition}. Its {@code task} goes
 * through the {@link TaskRequestParser}, so a template is checked exactly like a task, except for
 * what belongs to one run: {@code delay}, {@code runAt} (a run starts at its slot) and {@code
 * idempotencyKey} (every run is a new task); and it is a push task (a template has no worker
 * function name).
 */
public final class ScheduleRequestParser {
  /** The fields of a {@code PUT} body; a schedules file also names each schedule. */
  public static final Set<String> FIELDS =
      Set.of("cron", "timezone", "task", "paused", "overlap", "catchUp");

  private static final ZoneId UTC = ZoneId.of("UTC");
  private static final Set<String> PER_RUN_FIELDS = Set.of("delay", "runAt", "idempotencyKey");

  private final TaskRequestParser tasks;

  public ScheduleRequestParser(TaskRequestParser tasks) {
    this.tasks = tasks;
  }

  /** Adds problems to {@code errors} and returns null when there are any. */
  public ScheduleDefinition parse(
      String name,
      JsonNode json,
      String path,
      Set<String> fields,
      List<FieldError> errors,
      Instant now) {
    if (!(json instanceof ObjectNode object)) {
      errors.add(new FieldError(path.isEmpty() ? "(body)" : path, "must be a JSON object"));
      return null;
    }
    int before = errors.size();
    JsonFields f = new JsonFields(object, path, errors);
    f.rejectUnknown(fields);
    if (name == null || !ScheduleDefinition.NAME.matcher(name).matches())
      f.error("name", ScheduleDefinition.NAME_RULE);
    ZoneId zone = zone(f);
    CronSpec cron = cron(f, zone == null ? UTC : zone);
    TaskTemplate template = template(f, now);
    Boolean paused = f.bool("paused");
    Overlap overlap =
        choice(f, "overlap", Overlap.ALLOW, Overlap::fromWire, "\"allow\" or \"skip\"");
    CatchUp catchUp =
        choice(f, "catchUp", CatchUp.LATEST, CatchUp::fromWire, "\"latest\" or \"none\"");
    if (errors.size() > before) return null;
    return new ScheduleDefinition(
        name, cron, zone, template, paused != null && paused, overlap, catchUp);
  }

  private static ZoneId zone(JsonFields f) {
    String text = f.string("timezone", 64, null, null);
    if (text == null) return UTC;
    try {
      return ZoneId.of(text);
    } catch (DateTimeException e) {
      f.error(
          "timezone",
          "unknown time zone \""
              + text
              + "\"; use an IANA name such as \"Europe/Berlin\", or \"UTC\"");
      return null;
    }
  }

  private static CronSpec cron(JsonFields f, ZoneId zone) {
    if (!f.has("cron")) {
      f.error("cron", "is required, e.g. \"0 * * * *\", \"@daily\" or \"@every 30s\"");
      return null;
    }
    String text = f.string("cron", 200, null, null);
    if (text == null) return null;
    try {
      return CronSpec.parse(text, zone);
    } catch (InvalidCronException e) {
      f.error("cron", e.getMessage());
      return null;
    }
  }

  private TaskTemplate template(JsonFields f, Instant now) {
    ObjectNode task = f.object("task");
    if (task == null) {
      if (!f.has("task"))
        f.error(
            "task", "is required: the task each run creates, with the fields of POST /v1/tasks");
      return null;
    }
    String path = f.pathOf("task");
    for (String field : PER_RUN_FIELDS) {
      if (task.has(field)) {
        f.error(
            "task." + field,
            "cannot be set on a schedule's task: each run starts at its slot as a new task");
      }
    }
    ObjectNode rest = task.deepCopy();
    rest.remove(PER_RUN_FIELDS);
    NewTask parsed = tasks.parse(rest, path, f.errors(), null, now);
    if (parsed != null && parsed.callbackUrl() == null) {
      f.error("task.name", "a schedule's runs are push tasks: give callbackUrl instead of name");
      return null;
    }
    return parsed == null ? null : TaskTemplate.of(parsed);
  }

  private static <T> T choice(
      JsonFields f,
      String field,
      T fallback,
      java.util.function.Function<String, java.util.Optional<T>> read,
      String allowed) {
    String text = f.string(field, 20, null, null);
    if (text == null) return f.has(field) ? null : fallback;
    return read.apply(text)
        .orElseGet(
            () -> {
              f.error(field, "must be " + allowed + ", got \"" + text + "\"");
              return null;
            });
  }
}
