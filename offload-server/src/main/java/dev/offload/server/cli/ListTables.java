package dev.offload.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Set;

/** Schedules, tasks and attempts as tables for people, the way {@code queues list} shows queues. */
final class ListTables {
  private static final int ERROR_WIDTH = 60;

  private ListTables() {}

  static String schedules(JsonNode answer) {
    TextTable table =
        new TextTable(
            List.of(
                "SCHEDULE",
                "CRON",
                "TIMEZONE",
                "STATE",
                "NEXT RUN",
                "LAST RUN",
                "LAST TASK",
                "TARGET"),
            Set.of());
    for (JsonNode schedule : answer.path("schedules")) {
      table.add(
          List.of(
              schedule.path("name").asText(),
              schedule.path("cron").asText(),
              schedule.path("timezone").asText(),
              schedule.path("paused").asBoolean() ? "paused" : "active",
              time(schedule.path("nextRunAt")),
              time(schedule.path("lastRunAt")),
              text(schedule.path("lastTaskId")),
              target(schedule.path("task"))));
    }
    return table.isEmpty()
        ? table.render() + "no schedules yet: create one with 'offload schedules put'\n"
        : table.render();
  }

  static String tasks(JsonNode answer) {
    TextTable table =
        new TextTable(
            List.of(
                "TASK",
                "STATUS",
                "QUEUE",
                "TARGET",
                "ATTEMPTS",
                "CREATED",
                "FINISHED / NEXT",
                "LAST ERROR"),
            Set.of(4));
    for (JsonNode task : answer.path("tasks")) {
      JsonNode finished = task.path("finishedAt");
      table.add(
          List.of(
              task.path("taskId").asText(),
              task.path("status").asText(),
              task.path("queue").asText(),
              target(task),
              task.path("attempts").asText() + "/" + task.path("maxAttempts").asText(),
              time(task.path("createdAt")),
              time(finished.isTextual() ? finished : task.path("nextAttemptAt")),
              error(task.path("lastError"))));
    }
    StringBuilder text = new StringBuilder(table.render());
    if (table.isEmpty()) text.append("no tasks\n");
    if (answer.path("nextCursor").isTextual())
      text.append("more: --cursor ").append(answer.path("nextCursor").asText()).append('\n');
    return text.toString();
  }

  static String attempts(JsonNode answer) {
    TextTable table =
        new TextTable(
            List.of("ATTEMPT", "STARTED", "DURATION", "OUTCOME", "STATUS", "NODE", "ERROR"),
            Set.of(0, 2, 4));
    for (JsonNode attempt : answer) {
      table.add(
          List.of(
              attempt.path("number").asText(),
              time(attempt.path("startedAt")),
              QueueTable.duration(attempt.path("durationMs")),
              attempt.path("outcome").asText(),
              text(attempt.path("statusCode")),
              text(attempt.path("node")),
              error(attempt.path("error"))));
    }
    return table.isEmpty() ? table.render() + "no attempts yet\n" : table.render();
  }

  /** The URL a push task calls, or the name of a pull task's worker function. */
  private static String target(JsonNode task) {
    if (task.path("callbackUrl").isTextual()) return task.path("callbackUrl").asText();
    return task.path("name").isTextual() ? "worker: " + task.path("name").asText() : TextTable.NONE;
  }

  /** An RFC 3339 time to the second, or - . */
  private static String time(JsonNode value) {
    if (!value.isTextual()) return TextTable.NONE;
    String text = value.asText();
    int fraction = text.indexOf('.');
    return fraction < 0 ? text : text.substring(0, fraction) + "Z";
  }

  private static String text(JsonNode value) {
    return value.isMissingNode() || value.isNull() ? TextTable.NONE : value.asText();
  }

  /** The first line of an error, cut to fit a column. */
  private static String error(JsonNode value) {
    String text = text(value).lines().findFirst().orElse("");
    return text.length() <= ERROR_WIDTH ? text : text.substring(0, ERROR_WIDTH - 1) + "…";
  }
}
