package dev.offload.server.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(
    name = "enqueue",
    mixinStandardHelpOptions = true,
    description = {
      "Create a task: with --url Offload calls URL with the JSON data in the background (push);",
      "with --name a worker of yours leases it (pull)."
    })
public final class EnqueueCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--url", description = "The endpoint Offload calls (callbackUrl).")
  String url;

  @Option(
      names = "--name",
      description = "The worker function that runs the task (a pull task), instead of --url.")
  String name;

  @Option(names = "--data", description = "JSON payload sent as the request body.")
  String data;

  @Option(
      names = "--header",
      paramLabel = "NAME: VALUE",
      description =
          "A header sent with every call, e.g. 'Authorization: Bearer x'; repeatable. Only with --url.")
  List<String> headers = new ArrayList<>();

  @Option(names = "--delay", description = "Start later, e.g. 30s, 10m.")
  String delay;

  @Option(
      names = "--timeout",
      description = "Limit of each attempt, e.g. 30s, 10m, or none (default 1h).")
  String timeout;

  @Option(names = "--retries", description = "Retries after the first attempt (default 3).")
  Integer retries;

  @Option(
      names = "--priority",
      description =
          "Seconds of head start over tasks due at the same time, -86400 to 86400 (default 0).")
  Integer priority;

  @Option(names = "--queue", description = "Queue name (default 'default').")
  String queue;

  @Option(names = "--webhook-url", description = "Called with the outcome when the task finishes.")
  String webhookUrl;

  @Mixin ServerOption server;

  @Override
  public Integer call() throws Exception {
    if ((url == null) == (name == null))
      throw new ParameterException(
          spec.commandLine(), "give exactly one of --url (push) and --name (pull)");
    if (name != null && !headers.isEmpty())
      throw new ParameterException(
          spec.commandLine(), "--header goes with --url: a pull task makes no call");
    ObjectNode task =
        url != null
            ? TaskBody.calling(spec.commandLine(), url, data)
            : TaskBody.withPayload(
                spec.commandLine(), TaskBody.mapper().createObjectNode().put("name", name), data);
    if (!headers.isEmpty()) {
      ObjectNode headerObject = task.putObject("headers");
      for (String header : headers) {
        int colon = header.indexOf(':');
        if (colon <= 0)
          throw new ParameterException(
              spec.commandLine(), "--header must be 'Name: value', got '" + header + "'");
        headerObject.put(header.substring(0, colon).strip(), header.substring(colon + 1).strip());
      }
    }
    if (delay != null) task.put("delay", delay);
    if (timeout != null) task.put("timeout", timeout);
    if (retries != null) task.put("retries", retries);
    if (priority != null) task.put("priority", priority);
    if (queue != null) task.put("queue", queue);
    if (webhookUrl != null) task.put("webhookUrl", webhookUrl);
    HttpRequest.Builder request =
        server
            .request("/v1/tasks")
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(task.toString()));
    return ApiCall.send(request, spec.commandLine().getOut(), spec.commandLine().getErr());
  }
}
