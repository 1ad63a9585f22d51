package dev.offload.client;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The flow control of a queue for {@link Queues#put}; a null limit means none. {@code burst} (with
 * a rate only) is how many attempts may start at once after a quiet spell; the server's default is
 * 1, a smooth rate.
 *
 * <pre>{@code
 * offload.queues().put("emails", QueueSettings.unlimited().withConcurrency(10).withRate(50.0, 5));
 * }</pre>
 */
public record QueueSettings(
    Integer concurrency, Double ratePerSecond, Integer burst, boolean paused) {
  public static QueueSettings unlimited() {
    return new QueueSettings(null, null, null, false);
  }

  public QueueSettings withConcurrency(Integer value) {
    return new QueueSettings(value, ratePerSecond, burst, paused);
  }

  public QueueSettings withRate(Double perSecond, Integer burstSize) {
    return new QueueSettings(concurrency, perSecond, burstSize, paused);
  }

  public QueueSettings withPaused(boolean value) {
    return new QueueSettings(concurrency, ratePerSecond, burst, value);
  }

  ObjectNode toJson() {
    ObjectNode json = JsonNodeFactory.instance.objectNode();
    if (concurrency != null) json.put("concurrency", concurrency);
    if (ratePerSecond != null) json.put("ratePerSecond", ratePerSecond);
    if (burst != null) json.put("burst", burst);
    json.put("paused", paused);
    return json;
  }
}
