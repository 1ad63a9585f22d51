package dev.offload.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.offload.queue.QueueInfo;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code GET /v1/queues} as a table for people: the figures of the dashboard's /queues page, one
 * line a queue.
 */
final class QueueTable {
  private static final List<String> HEADER =
      List.of(
          "QUEUE",
          "PAUSED",
          "CONCURRENCY",
          "RATE/S",
          "QUEUED",
          "RUNNING",
          "RETRYING",
          "FAILED",
          "OLDEST READY",
          "DONE/MIN",
          "P95",
          "");

  /** Columns of numbers and durations, aligned right so their digits line up. */
  private static final Set<Integer> RIGHT_ALIGNED = Set.of(2, 3, 4, 5, 6, 7, 8, 9, 10);

  private static final String NONE = TextTable.NONE;

  private QueueTable() {}

  static String render(JsonNode answer) {
    TextTable table = new TextTable(HEADER, RIGHT_ALIGNED);
    for (JsonNode queue : answer.path("queues")) table.add(row(queue));
    StringBuilder text = new StringBuilder(table.render());
    if (table.isEmpty())
      text.append(
          "no queues yet: a queue appears with its first task or its first 'offload queues set'\n");
    return text.toString();
  }

  private static List<String> row(JsonNode queue) {
    JsonNode counts = queue.path("counts");
    JsonNode p95 = queue.path("attemptDurationMs").path("p95");
    return List.of(
        queue.path("name").asText(),
        queue.path("paused").asBoolean() ? "yes" : "no",
        number(queue.path("concurrency")),
        number(queue.path("ratePerSecond")),
        counts.path("queued").asText(),
        counts.path("running").asText(),
        counts.path("retrying").asText(),
        counts.path("failed").asText(),
        duration(queue.path("oldestReadyAgeMs")),
        queue.path("throughput").path("lastMinute").asText(),
        duration(p95),
        queue.path("nearTimeout").asBoolean()
            ? "near timeout: p95 past "
                + QueueInfo.NEAR_TIMEOUT_PERCENT
                + "% of "
                + duration(queue.path("attemptTimeoutMs"))
            : "");
  }

  /** 10, 0.5, or - for no limit. */
  private static String number(JsonNode value) {
    return value.isNumber() ? value.decimalValue().stripTrailingZeros().toPlainString() : NONE;
  }

  /** 850ms, 4.2s, 42s, 3m07s, 2h05m, 1d03h, or - when unknown. */
  static String duration(JsonNode millis) {
    if (!millis.isNumber()) return NONE;
    long ms = millis.asLong();
    if (ms < 1_000) return ms + "ms";
    if (ms < 10_000) return ms / 1_000 + "." + ms % 1_000 / 100 + "s";
    long s = ms / 1_000;
    if (s < 60) return s + "s";
    if (s < 3_600) return s / 60 + "m" + twoDigits(s % 60) + "s";
    if (s < 86_400) return s / 3_600 + "h" + twoDigits(s / 60 % 60) + "m";
    return s / 86_400 + "d" + twoDigits(s / 3_600 % 24) + "h";
  }

  private static String twoDigits(long value) {
    return String.format(Locale.ROOT, "%02d", value);
  }
}
