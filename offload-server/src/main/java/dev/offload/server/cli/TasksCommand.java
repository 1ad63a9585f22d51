package dev.offload.server.cli;

import java.io.PrintWriter;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code offload tasks list|get|cancel|retry|attempts|bulk}: tasks on a running server. */
@Command(
    name = "tasks",
    mixinStandardHelpOptions = true,
    description =
        "List tasks, show one, cancel or retry it, list its attempts, or act on every task a filter matches.",
    subcommands = BulkCommand.class)
public final class TasksCommand {
  @Spec CommandSpec spec;

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "Tasks, newest first, as a table with each one's last error.")
  int list(
      @Mixin ServerOption server,
      @Option(names = "--queue", paramLabel = "QUEUE", description = "Only this queue's tasks.")
          String queue,
      @Option(
              names = "--status",
              paramLabel = "STATUS",
              description =
                  "Only tasks in this status: scheduled, queued, running, retrying, succeeded, failed, cancelled.")
          String status,
      @Option(
              names = "--schedule",
              paramLabel = "NAME",
              description = "Only the runs of this schedule.")
          String schedule,
      @Option(
              names = "--limit",
              paramLabel = "N",
              description = "At most N tasks (1-500, default 50).")
          Integer limit,
      @Option(
              names = "--cursor",
              paramLabel = "CURSOR",
              description = "The next page: the cursor a previous list printed.")
          String cursor,
      @Option(names = "--json", description = "Print the API's JSON instead of a table.")
          boolean json)
      throws InterruptedException {
    List<String> query = new ArrayList<>();
    parameter(query, "queue", queue);
    parameter(query, "status", status);
    parameter(query, "scheduleName", schedule);
    parameter(query, "limit", limit == null ? null : limit.toString());
    parameter(query, "cursor", cursor);
    String path = "/v1/tasks" + (query.isEmpty() ? "" : "?" + String.join("&", query));
    return ApiCall.table(server.request(path).GET(), json, ListTables::tasks, out(), err());
  }

  @Command(
      name = "get",
      mixinStandardHelpOptions = true,
      description = "One task as JSON (see 'offload status' to wait for it).")
  int get(@Mixin ServerOption server, @Parameters(paramLabel = "TASK_ID") String taskId)
      throws InterruptedException {
    return ApiCall.send(server.request(path(taskId)).GET(), out(), err());
  }

  @Command(
      name = "attempts",
      mixinStandardHelpOptions = true,
      description = "Every attempt of a task: outcome, HTTP status, duration, error.")
  int attempts(
      @Mixin ServerOption server,
      @Parameters(paramLabel = "TASK_ID") String taskId,
      @Option(names = "--json", description = "Print the API's JSON instead of a table.")
          boolean json)
      throws InterruptedException {
    return ApiCall.table(
        server.request(path(taskId) + "/attempts").GET(), json, ListTables::attempts, out(), err());
  }

  @Command(
      name = "cancel",
      mixinStandardHelpOptions = true,
      description = "Cancel a scheduled, queued, retrying or running task.")
  int cancel(@Mixin ServerOption server, @Parameters(paramLabel = "TASK_ID") String taskId)
      throws InterruptedException {
    return ApiCall.send(
        server.request(path(taskId) + "/cancel").POST(HttpRequest.BodyPublishers.noBody()),
        out(),
        err());
  }

  @Command(
      name = "retry",
      mixinStandardHelpOptions = true,
      description = "Queue a failed or cancelled task again, with a fresh retry budget.")
  int retry(@Mixin ServerOption server, @Parameters(paramLabel = "TASK_ID") String taskId)
      throws InterruptedException {
    return ApiCall.send(
        server.request(path(taskId) + "/retry").POST(HttpRequest.BodyPublishers.noBody()),
        out(),
        err());
  }

  private static void parameter(List<String> query, String name, String value) {
    if (value != null) query.add(name + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8));
  }

  private static String path(String taskId) {
    return "/v1/tasks/" + URLEncoder.encode(taskId, StandardCharsets.UTF_8);
  }

  private PrintWriter out() {
    return spec.commandLine().getOut();
  }

  private PrintWriter err() {
    return spec.commandLine().getErr();
  }
}
