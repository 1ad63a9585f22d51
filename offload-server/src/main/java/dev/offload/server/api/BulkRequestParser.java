package dev.offload.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.offload.bulk.BulkFilter;
import dev.offload.bulk.BulkVerb;
import dev.offload.schedule.ScheduleDefinition;
import dev.offload.task.TaskStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/** {@code POST /v1/bulk-actions} bodies into a verb and a filter, every bad field named. */
final class BulkRequestParser {
  static final Set<String> FIELDS = Set.of("action", "filter", "dryRun");
  static final Set<String> FILTER_FIELDS =
      Set.of(
          "queue",
          "status",
          "name",
          "scheduleName",
          "createdAfter",
          "createdBefore",
          "lastErrorContains",
          "metadata");
  static final int MAX_METADATA_PAIRS = 20;
  static final int MAX_METADATA_KEY = 200;
  static final int MAX_METADATA_VALUE = 1_000;

  /** A request: what to do to which tasks, or only count them. */
  record BulkRequest(BulkVerb verb, BulkFilter filter, boolean dryRun) {}

  private BulkRequestParser() {}

  static BulkRequest parse(JsonNode body) {
    if (!(body instanceof ObjectNode object))
      throw ApiException.invalid("(body)", "must be a JSON object");
    List<FieldError> errors = new ArrayList<>();
    JsonFields f = new JsonFields(object, "", errors);
    f.rejectUnknown(FIELDS);
    BulkVerb verb = null;
    String action = f.string("action", 10, null, null);
    if (action == null && !f.has("action"))
      f.error("action", "is required: retry, cancel or delete");
    else if (action != null) {
      verb = BulkVerb.fromWire(action).orElse(null);
      if (verb == null)
        f.error("action", "must be retry, cancel or delete, got \"" + action + "\"");
    }
    Boolean dryRun = f.bool("dryRun");
    BulkFilter filter = null;
    if (!f.has("filter"))
      f.error("filter", "is required: an object with at least one field of " + sorted());
    else filter = filter(f.object("filter"), errors);
    if (!errors.isEmpty()) throw ApiException.invalid(errors);
    return new BulkRequest(verb, filter, dryRun != null && dryRun);
  }

  private static BulkFilter filter(ObjectNode object, List<FieldError> errors) {
    if (object == null) return null;
    int before = errors.size();
    JsonFields f = new JsonFields(object, "filter", errors);
    f.rejectUnknown(FILTER_FIELDS);
    String queue =
        f.string(
            "queue", 100, TaskRequestParser.QUEUE, "a queue name " + TaskRequestParser.QUEUE_SHAPE);
    TaskStatus status = null;
    String statusText = f.string("status", 20, null, null);
    if (statusText != null) {
      status = TaskStatus.fromWire(statusText).orElse(null);
      if (status == null)
        f.error(
            "status",
            "must be one of "
                + String.join(
                    ", ", Arrays.stream(TaskStatus.values()).map(TaskStatus::wire).toList()));
    }
    String name =
        f.string(
            "name", 200, TaskRequestParser.NAME, "a task name " + TaskRequestParser.NAME_SHAPE);
    String scheduleName =
        f.string("scheduleName", 128, ScheduleDefinition.NAME, ScheduleDefinition.NAME_RULE);
    Instant createdAfter = f.instant("createdAfter");
    Instant createdBefore = f.instant("createdBefore");
    String lastError =
        f.string(
            "lastErrorContains",
            BulkFilter.MAX_ERROR_TEXT,
            JsonFields.NO_NUL,
            JsonFields.NO_NUL_RULE);
    SortedMap<String, String> metadata = metadata(f);
    if (errors.size() > before) return null;
    try {
      return new BulkFilter(
          queue, status, name, scheduleName, createdAfter, createdBefore, lastError, metadata);
    } catch (IllegalArgumentException empty) {
      errors.add(new FieldError("filter", "must hold at least one field of " + sorted()));
      return null;
    }
  }

  private static SortedMap<String, String> metadata(JsonFields f) {
    ObjectNode object = f.object("metadata");
    if (object == null) return null;
    if (object.isEmpty() || object.size() > MAX_METADATA_PAIRS) {
      f.error("metadata", "must hold 1 to " + MAX_METADATA_PAIRS + " keys");
      return null;
    }
    SortedMap<String, String> pairs = new TreeMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> pair = it.next();
      String key = pair.getKey();
      String field = "metadata." + key;
      if (key.isEmpty()
          || key.length() > MAX_METADATA_KEY
          || !JsonFields.NO_NUL.matcher(key).matches())
        f.error(field, "keys are 1 to " + MAX_METADATA_KEY + " characters without NUL");
      else if (!pair.getValue().isTextual())
        f.error(field, "must be a string (only string values are matched)");
      else if (pair.getValue().textValue().length() > MAX_METADATA_VALUE
          || !JsonFields.NO_NUL.matcher(pair.getValue().textValue()).matches())
        f.error(field, "must be at most " + MAX_METADATA_VALUE + " characters without NUL");
      else pairs.put(key, pair.getValue().textValue());
    }
    return pairs.size() == object.size() ? pairs : null;
  }

  private static List<String> sorted() {
    return FILTER_FIELDS.stream().sorted().toList();
  }
}
