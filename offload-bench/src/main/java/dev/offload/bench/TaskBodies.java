package dev.offload.bench;

import java.time.Duration;
import java.util.function.IntFunction;

/**
 * JSON bodies of {@code POST /v1/tasks} and {@code /v1/tasks/batch}, built as text: they are on the
 * producer's hot path.
 */
final class TaskBodies {
  private TaskBodies() {}

  /**
   * A task an hour away: it is stored like any other but never dispatched during the run, so
   * warm-ups and W1 measure intake alone.
   */
  static String scheduled(String callbackUrl, int n) {
    return "{\"callbackUrl\":\""
        + callbackUrl
        + "\",\"payload\":{\"n\":"
        + n
        + "},\"delay\":\"1h\"}";
  }

  /** A task to run now, with {@code payloadJson} as the body its target receives. */
  static String now(String callbackUrl, String payloadJson) {
    return "{\"callbackUrl\":\"" + callbackUrl + "\",\"payload\":" + payloadJson + "}";
  }

  /** {@code {"tasks":[…]}} of {@code size} tasks to run now, each with {@code payloadJson}. */
  static String nowBatch(String callbackUrl, String payloadJson, int size) {
    return batch(size, i -> now(callbackUrl, payloadJson));
  }

  /** Like {@link #nowBatch}, in {@code queue}. */
  static String nowBatchIn(String queue, String callbackUrl, String payloadJson, int size) {
    return batch(
        size, i -> "{\"queue\":\"" + queue + "\"," + now(callbackUrl, payloadJson).substring(1));
  }

  /** A task whose target holds the call: its attempt timeout leaves room for the hold. */
  static String slow(String callbackUrl, int n, Duration timeout) {
    return "{\"callbackUrl\":\""
        + callbackUrl
        + "\",\"payload\":{\"n\":"
        + n
        + "},\"timeout\":\""
        + DurationText.format(timeout)
        + "\"}";
  }

  /** The payload W3 sends: the intended send time, read back by the sink. */
  static String intendedAt(long nanoTime) {
    return "{\"t\":" + nanoTime + "}";
  }

  /** {@code {"tasks":[…]}} of {@code size} scheduled tasks numbered from {@code first}. */
  static String scheduledBatch(String callbackUrl, int first, int size) {
    return batch(size, i -> scheduled(callbackUrl, first + i));
  }

  private static String batch(int size, IntFunction<String> task) {
    StringBuilder body = new StringBuilder(size * 96).append("{\"tasks\":[");
    for (int i = 0; i < size; i++) {
      if (i > 0) body.append(',');
      body.append(task.apply(i));
    }
    return body.append("]}").toString();
  }
}
