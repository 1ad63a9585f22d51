package dev.offload.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code offload queues list|get|history|set|pause|resume}: queue figures and flow control on a
 * running server.
 */
@Command(
    name = "queues",
    mixinStandardHelpOptions = true,
    description =
        "List or show queues with their figures, show a queue's last hour, limit, pause or resume a queue.")
public final class QueuesCommand {
  @Spec CommandSpec spec;

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description =
          "Every queue with tasks or settings: limits, counts, oldest ready task, throughput, p95.")
  int list(
      @Mixin ServerOption server,
      @Option(names = "--json", description = "Print the API's JSON instead of a table.")
          boolean json)
      throws InterruptedException {
    return ApiCall.table(
        server.request("/v1/queues").GET(), json, QueueTable::render, out(), err());
  }

  @Command(
      name = "get",
      mixinStandardHelpOptions = true,
      description = "One queue's settings and figures, as JSON.")
  int get(@Mixin ServerOption server, @Parameters(paramLabel = "NAME") String name)
      throws InterruptedException {
    return send(server.request(path(name)).GET());
  }

  @Command(
      name = "history",
      mixinStandardHelpOptions = true,
      description =
          "A queue's last hour in one-minute buckets (created, finished, depth, attempt durations), as JSON.")
  int history(@Mixin ServerOption server, @Parameters(paramLabel = "NAME") String name)
      throws InterruptedException {
    return send(server.request(path(name) + "/history").GET());
  }

  @Command(
      name = "set",
      mixinStandardHelpOptions = true,
      description = {
        "Change a queue's limits and retention; settings not given stay as they are.",
        "A queue no task has named yet gets them ready for its first task."
      })
  int set(
      @Mixin ServerOption server,
      @Parameters(paramLabel = "NAME") String name,
      @Option(
              names = "--concurrency",
              paramLabel = "N|none",
              converter = LimitConverter.class,
              description = "At most N tasks of the queue run at once (1-100000); none: no limit.")
          JsonNode concurrency,
      @Option(
              names = "--rate-per-second",
              paramLabel = "R|none",
              converter = LimitConverter.class,
              description =
                  "Attempts start at R a second on average (0.5 is one every 2s); none: no limit, and no burst.")
          JsonNode rate,
      @Option(
              names = "--burst",
              paramLabel = "B",
              description =
                  "With a rate: how many attempts may start at once after a quiet spell (default 1).")
          Integer burst,
      @Option(
              names = "--retain-succeeded",
              paramLabel = "DURATION|forever|default",
              converter = RetentionSettingConverter.class,
              description =
                  "How long succeeded tasks of the queue are kept; default: as the server says.")
          JsonNode retainSucceeded,
      @Option(
              names = "--retain-failed",
              paramLabel = "DURATION|forever|default",
              converter = RetentionSettingConverter.class,
              description =
                  "How long failed and cancelled tasks of the queue are kept; default: as the server says.")
          JsonNode retainFailed)
      throws InterruptedException {
    QueueSettingsChange change =
        new QueueSettingsChange(concurrency, rate, burst, null, retainSucceeded, retainFailed);
    if (change.isEmpty()) {
      throw new ParameterException(
          spec.subcommands().get("set"),
          "give at least one of --concurrency, --rate-per-second, --burst, --retain-succeeded, --retain-failed");
    }
    return change(server, name, change, true);
  }

  @Command(
      name = "pause",
      mixinStandardHelpOptions = true,
      description = "Start no new attempt of the queue; running ones finish. Limits stay.")
  int pause(@Mixin ServerOption server, @Parameters(paramLabel = "NAME") String name)
      throws InterruptedException {
    return change(server, name, QueueSettingsChange.pausing(true), false);
  }

  @Command(
      name = "resume",
      mixinStandardHelpOptions = true,
      description = "Start attempts again, within the queue's limits.")
  int resume(@Mixin ServerOption server, @Parameters(paramLabel = "NAME") String name)
      throws InterruptedException {
    return change(server, name, QueueSettingsChange.pausing(false), false);
  }

  /**
   * Reads the queue, then puts its settings back with the change: the PUT replaces every setting.
   * An unknown queue is a 404 unless {@code prepareUnknown}: limits may be set before the first
   * task, but pausing a name no task uses is more likely a typo than a plan.
   */
  private int change(
      ServerOption server, String name, QueueSettingsChange change, boolean prepareUnknown)
      throws InterruptedException {
    Optional<ApiCall.Answer> current = ApiCall.fetch(server.request(path(name)).GET(), err());
    if (current.isEmpty()) return ApiCall.UNREACHABLE;
    boolean fresh = current.get().status() == 404 && prepareUnknown;
    if (current.get().failed() && !fresh) return ApiCall.print(current.get(), out(), err());
    JsonNode queue = fresh ? TaskBody.mapper().createObjectNode() : TaskBody.parse(current.get());
    return send(
        server
            .request(path(name))
            .header("Content-Type", "application/json")
            .PUT(HttpRequest.BodyPublishers.ofString(change.applyTo(queue).toString())));
  }

  private static String path(String name) {
    return "/v1/queues/" + URLEncoder.encode(name, StandardCharsets.UTF_8);
  }

  private int send(HttpRequest.Builder request) throws InterruptedException {
    return ApiCall.send(request, out(), err());
  }

  private PrintWriter out() {
    return spec.commandLine().getOut();
  }

  private PrintWriter err() {
    return spec.commandLine().getErr();
  }
}
