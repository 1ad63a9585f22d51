package dev.offload.bulk;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.offload.task.TaskStatus;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Which tasks a bulk action matches: every field given must hold (null: any). {@code
 * lastErrorContains} is a plain, case-sensitive substring; {@code metadata} pairs must each equal a
 * top-level string value of the task's metadata. {@code createdAfter} and {@code createdBefore} are
 * exclusive.
 */
public record BulkFilter(
    String queue,
    TaskStatus status,
    String name,
    String scheduleName,
    Instant createdAfter,
    Instant createdBefore,
    String lastErrorContains,
    SortedMap<String, String> metadata) {
  public static final int MAX_ERROR_TEXT = 200;
  private static final ObjectMapper JSON = new ObjectMapper();

  public BulkFilter {
    metadata = metadata == null || metadata.isEmpty() ? null : new TreeMap<>(metadata);
    if (queue == null
        && status == null
        && name == null
        && scheduleName == null
        && createdAfter == null
        && createdBefore == null
        && lastErrorContains == null
        && metadata == null)
      throw new IllegalArgumentException("a filter needs at least one field");
  }

  /**
   * The filter as JSON with its fields in a fixed order, absent fields left out: equal filters give
   * equal text, so a running action is found by its filter.
   */
  public ObjectNode toJson() {
    ObjectNode json = JSON.createObjectNode();
    if (queue != null) json.put("queue", queue);
    if (status != null) json.put("status", status.wire());
    if (name != null) json.put("name", name);
    if (scheduleName != null) json.put("scheduleName", scheduleName);
    if (createdAfter != null) json.put("createdAfter", createdAfter.toString());
    if (createdBefore != null) json.put("createdBefore", createdBefore.toString());
    if (lastErrorContains != null) json.put("lastErrorContains", lastErrorContains);
    if (metadata != null) metadata.forEach(json.putObject("metadata")::put);
    return json;
  }

  public String canonical() {
    return toJson().toString();
  }

  /** Reads {@link #canonical()} text back. */
  public static BulkFilter parse(String canonical) {
    try {
      JsonNode json = JSON.readTree(canonical);
      SortedMap<String, String> metadata = null;
      if (json.has("metadata")) {
        metadata = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> pairs = json.get("metadata").fields();
            pairs.hasNext(); ) {
          Map.Entry<String, JsonNode> pair = pairs.next();
          metadata.put(pair.getKey(), pair.getValue().textValue());
        }
      }
      return new BulkFilter(
          text(json, "queue"),
          json.has("status") ? TaskStatus.fromWire(text(json, "status")).orElseThrow() : null,
          text(json, "name"),
          text(json, "scheduleName"),
          json.has("createdAfter") ? Instant.parse(text(json, "createdAfter")) : null,
          json.has("createdBefore") ? Instant.parse(text(json, "createdBefore")) : null,
          text(json, "lastErrorContains"),
          metadata);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not a stored filter: " + canonical, e);
    }
  }

  private static String text(JsonNode json, String field) {
    return json.has(field) ? json.get(field).textValue() : null;
  }
}
