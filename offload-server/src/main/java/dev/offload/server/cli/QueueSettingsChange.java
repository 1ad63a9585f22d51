package dev.offload.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What {@code offload queues set|pause|resume} changes in a queue's settings: a null field keeps
 * the current value; a JSON null {@code concurrency} or {@code ratePerSecond} removes that limit, a
 * JSON null retention goes back to the server's default. {@code PUT /v1/queues/{name}} replaces
 * every setting, so the change is applied to the queue as read just before; a change made by
 * someone else between the read and the PUT is lost.
 */
record QueueSettingsChange(
    JsonNode concurrency,
    JsonNode ratePerSecond,
    Integer burst,
    Boolean paused,
    JsonNode retainSucceeded,
    JsonNode retainFailed) {
  static QueueSettingsChange pausing(boolean paused) {
    return new QueueSettingsChange(null, null, null, paused, null, null);
  }

  boolean isEmpty() {
    return concurrency == null
        && ratePerSecond == null
        && burst == null
        && paused == null
        && retainSucceeded == null
        && retainFailed == null;
  }

  /**
   * The PUT body: the settings of {@code queue} (the JSON of GET, or {@code {}} for a queue never
   * used) with this change.
   */
  ObjectNode applyTo(JsonNode queue) {
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.set("concurrency", concurrency != null ? concurrency : queue.get("concurrency"));
    body.set("ratePerSecond", ratePerSecond != null ? ratePerSecond : queue.get("ratePerSecond"));
    // The current burst belongs to the current rate: it goes when the rate goes, unless given
    // anyway (then the server says that a burst needs a rate).
    if (burst != null) body.put("burst", burst);
    else if (!body.get("ratePerSecond").isNull() && queue.hasNonNull("burst"))
      body.set("burst", queue.get("burst"));
    body.put("paused", paused != null ? paused : queue.path("paused").asBoolean(false));
    retention(body, "retainSucceeded", retainSucceeded, queue);
    retention(body, "retainFailed", retainFailed, queue);
    return body;
  }

  /**
   * A retention the change gives, else the queue's own (left out when it has none: the server's
   * default).
   */
  private static void retention(ObjectNode body, String field, JsonNode change, JsonNode queue) {
    if (change != null) body.set(field, change);
    else if (queue.hasNonNull(field)) body.set(field, queue.get(field));
  }
}
