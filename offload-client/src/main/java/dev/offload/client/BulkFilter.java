package dev.offload.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Which tasks a bulk action applies to: the tasks that match every field given. At least one field
 * is required, so that no action touches every task by accident.
 *
 * <pre>{@code
 * BulkFilter.builder().queue("emails").status(TaskStatus.FAILED).lastErrorContains("HTTP 503").build()
 * }</pre>
 *
 * @param createdAfter only tasks created at or after this instant
 * @param createdBefore only tasks created before this instant
 * @param lastErrorContains only tasks whose last error contains this text
 * @param metadata only tasks whose metadata has every one of these entries; empty for any
 */
public record BulkFilter(
    String queue,
    TaskStatus status,
    String name,
    String scheduleName,
    Instant createdAfter,
    Instant createdBefore,
    String lastErrorContains,
    Map<String, String> metadata) {
  public BulkFilter {
    metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    if (queue == null
        && status == null
        && name == null
        && scheduleName == null
        && createdAfter == null
        && createdBefore == null
        && lastErrorContains == null
        && metadata.isEmpty())
      throw new IllegalArgumentException(
          "a bulk filter needs at least one field (queue, status, name, scheduleName, createdAfter,"
              + " createdBefore, lastErrorContains or metadata)");
  }

  public static Builder builder() {
    return new Builder();
  }

  ObjectNode toJson() {
    ObjectNode json = JsonNodeFactory.instance.objectNode();
    if (queue != null) json.put("queue", queue);
    if (status != null) json.put("status", status.wire());
    if (name != null) json.put("name", name);
    if (scheduleName != null) json.put("scheduleName", scheduleName);
    if (createdAfter != null) json.put("createdAfter", createdAfter.toString());
    if (createdBefore != null) json.put("createdBefore", createdBefore.toString());
    if (lastErrorContains != null) json.put("lastErrorContains", lastErrorContains);
    if (!metadata.isEmpty()) {
      ObjectNode entries = json.putObject("metadata");
      new TreeMap<>(metadata).forEach(entries::put);
    }
    return json;
  }

  static BulkFilter from(JsonNode json) {
    Map<String, String> metadata = new TreeMap<>();
    json.path("metadata")
        .properties()
        .forEach(e -> metadata.put(e.getKey(), e.getValue().asText()));
    String status = Json.text(json, "status");
    return new BulkFilter(
        Json.text(json, "queue"),
        status == null ? null : TaskStatus.fromWire(status),
        Json.text(json, "name"),
        Json.text(json, "scheduleName"),
        Json.instant(json, "createdAfter"),
        Json.instant(json, "createdBefore"),
        Json.text(json, "lastErrorContains"),
        metadata);
  }

  public static final class Builder {
    private String queue;
    private TaskStatus status;
    private String name;
    private String scheduleName;
    private Instant createdAfter;
    private Instant createdBefore;
    private String lastErrorContains;
    private final Map<String, String> metadata = new TreeMap<>();

    private Builder() {}

    public Builder queue(String queue) {
      this.queue = queue;
      return this;
    }

    public Builder status(TaskStatus status) {
      this.status = status;
      return this;
    }

    /** Only the pull tasks of this worker function. */
    public Builder name(String name) {
      this.name = name;
      return this;
    }

    /** Only the runs of this schedule. */
    public Builder scheduleName(String scheduleName) {
      this.scheduleName = scheduleName;
      return this;
    }

    public Builder createdAfter(Instant createdAfter) {
      this.createdAfter = createdAfter;
      return this;
    }

    public Builder createdBefore(Instant createdBefore) {
      this.createdBefore = createdBefore;
      return this;
    }

    public Builder lastErrorContains(String text) {
      this.lastErrorContains = text;
      return this;
    }

    /** Only tasks whose metadata has {@code key} set to {@code value}; call again for more. */
    public Builder metadata(String key, String value) {
      metadata.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
      return this;
    }

    /**
     * Throws {@link IllegalArgumentException} when no field is set: a bulk action on every task is
     * never what a filter left empty by mistake means.
     */
    public BulkFilter build() {
      return new BulkFilter(
          queue,
          status,
          name,
          scheduleName,
          createdAfter,
          createdBefore,
          lastErrorContains,
          metadata);
    }
  }
}
