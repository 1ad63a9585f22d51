package dev.offload.server.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code offload schedules list|get|put|delete|pause|resume|trigger}: cron schedules on a running
 * server.
 */
@Command(
    name = "schedules",
    mixinStandardHelpOptions = true,
    description = "List, show, create or replace, delete, pause, resume or trigger cron schedules.")
public final class SchedulesCommand {
  @Spec CommandSpec spec;

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "Every schedule with its next and last run, as a table.")
  int list(
      @Mixin ServerOption server,
      @Option(names = "--json", description = "Print the API's JSON instead of a table.")
          boolean json)
      throws InterruptedException {
    return ApiCall.table(
        server.request("/v1/schedules").GET(),
        json,
        ListTables::schedules,
        spec.commandLine().getOut(),
        spec.commandLine().getErr());
  }

  @Command(
      name = "get",
      mixinStandardHelpOptions = true,
      description = "One schedule and its next runs.")
  int get(
      @Mixin ServerOption server,
      @Parameters(paramLabel = "NAME") String name,
      @Option(
              names = "--next",
              paramLabel = "N",
              defaultValue = "5",
              description = "How many next runs to list (default ${DEFAULT-VALUE}).")
          int next)
      throws InterruptedException {
    return send(server.request(path(name) + "?next=" + next).GET());
  }

  @Command(
      name = "delete",
      mixinStandardHelpOptions = true,
      description = "Delete a schedule (its tasks stay).")
  int delete(@Mixin ServerOption server, @Parameters(paramLabel = "NAME") String name)
      throws InterruptedException {
    return send(server.request(path(name)).DELETE());
  }

  @Command(
      name = "pause",
      mixinStandardHelpOptions = true,
      description = "Stop a schedule firing until it is resumed.")
  int pause(@Mixin ServerOption server, @Parameters(paramLabel = "NAME") String name)
      throws InterruptedException {
    return post(server, path(name) + "/pause");
  }

  @Command(
      name = "resume",
      mixinStandardHelpOptions = true,
      description = "Fire again from the next slot.")
  int resume(@Mixin ServerOption server, @Parameters(paramLabel = "NAME") String name)
      throws InterruptedException {
    return post(server, path(name) + "/resume");
  }

  @Command(
      name = "trigger",
      mixinStandardHelpOptions = true,
      description = "Create a run now, whatever the cron says.")
  int trigger(@Mixin ServerOption server, @Parameters(paramLabel = "NAME") String name)
      throws InterruptedException {
    return post(server, path(name) + "/trigger");
  }

  @Command(
      name = "put",
      mixinStandardHelpOptions = true,
      description = "Create or replace a schedule calling URL on a cron.")
  int put(
      @Mixin ServerOption server,
      @Parameters(paramLabel = "NAME") String name,
      @Option(
              names = "--cron",
              paramLabel = "CRON",
              required = true,
              description = "5-field cron, @hourly/@daily/…, or '@every 30s'.")
          String cron,
      @Option(
              names = "--url",
              paramLabel = "URL",
              required = true,
              description = "The endpoint each run calls (callbackUrl).")
          String url,
      @Option(
              names = "--timezone",
              paramLabel = "ZONE",
              description = "IANA time zone of the cron, e.g. Europe/Berlin (default UTC).")
          String timezone,
      @Option(
              names = "--data",
              paramLabel = "JSON",
              description = "JSON payload sent as each run's request body.")
          String data,
      @Option(
              names = "--queue",
              paramLabel = "QUEUE",
              description = "Queue of the runs (default 'default').")
          String queue,
      @Option(
              names = "--retries",
              paramLabel = "N",
              description = "Retries after the first attempt (default 3).")
          Integer retries,
      @Option(
              names = "--webhook-url",
              paramLabel = "URL",
              description = "Called with each run's outcome.")
          String webhookUrl,
      @Option(
              names = "--overlap",
              paramLabel = "allow|skip",
              description =
                  "allow (default) or skip: skip a slot while the last run is unfinished.")
          String overlap,
      @Option(
              names = "--catch-up",
              paramLabel = "latest|none",
              description = "latest (default) or none: what fires after downtime.")
          String catchUp,
      @Option(names = "--paused", description = "Create it paused.") boolean paused)
      throws InterruptedException {
    ObjectNode task = TaskBody.calling(spec.commandLine(), url, data);
    if (queue != null) task.put("queue", queue);
    if (retries != null) task.put("retries", retries);
    if (webhookUrl != null) task.put("webhookUrl", webhookUrl);
    ObjectNode body = TaskBody.mapper().createObjectNode().put("cron", cron);
    if (timezone != null) body.put("timezone", timezone);
    body.set("task", task);
    if (paused) body.put("paused", true);
    if (overlap != null) body.put("overlap", overlap);
    if (catchUp != null) body.put("catchUp", catchUp);
    return send(
        server
            .request(path(name))
            .header("Content-Type", "application/json")
            .PUT(HttpRequest.BodyPublishers.ofString(body.toString())));
  }

  private static String path(String name) {
    return "/v1/schedules/" + URLEncoder.encode(name, StandardCharsets.UTF_8);
  }

  private int post(ServerOption server, String path) throws InterruptedException {
    return send(server.request(path).POST(HttpRequest.BodyPublishers.noBody()));
  }

  private int send(HttpRequest.Builder request) throws InterruptedException {
    return ApiCall.send(request, spec.commandLine().getOut(), spec.commandLine().getErr());
  }
}
