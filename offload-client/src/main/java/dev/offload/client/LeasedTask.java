package dev.offload.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * A pull task leased to this worker: run it, then {@link Workers#complete} or {@link Workers#fail}
 * it with {@link #leaseToken()}, and send {@link Workers#heartbeat heartbeats} before {@link
 * #leaseExpiresAt()} while it runs.
 *
 * @param attempt the 1-based number of this attempt
 */
public record LeasedTask(TaskView task, int attempt, String leaseToken, Instant leaseExpiresAt) {
  public String taskId() {
    return task.taskId();
  }

  /** The worker function's name. */
  public String name() {
    return task.name();
  }

  /** The task's payload; a JSON null node when it has none. */
  public JsonNode payload() {
    return task.payload();
  }

  /**
   * The payload read as {@code type}; throws {@link IllegalArgumentException} when it does not fit.
   */
  public <T> T payloadAs(Class<T> type) {
    return Json.convert(task.payload(), type);
  }

  static LeasedTask from(JsonNode json) {
    return new LeasedTask(
        TaskView.from(json),
        Json.integer(json, "attempt"),
        Json.requiredText(json, "leaseToken"),
        Json.instant(json, "leaseExpiresAt"));
  }
}
