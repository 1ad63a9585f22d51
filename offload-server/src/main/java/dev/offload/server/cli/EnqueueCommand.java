package dev.offload.server.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpRequest;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "enqueue", mixinStandardHelpOptions = true,
    description = "Create a push task: Offload will call URL with the JSON data in the background.")
public final class EnqueueCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--url", required = true, description = "The endpoint Offload calls (callbackUrl).")
  String url;

  @Option(names = "--data", description = "JSON payload sent as the request body.")
  String data;

  @Option(names = "--delay", description = "Start later, e.g. 30s, 10m.")
  String delay;

  @Option(names = "--retries", description = "Retries after the first attempt (default 3).")
  Integer retries;

  @Option(names = "--priority",
      description = "Seconds of head start over tasks due at the same time, -86400 to 86400 (default 0).")
  Integer priority;

  @Option(names = "--queue", description = "Queue name (default 'default').")
  String queue;

  @Option(names = "--webhook-url", description = "Called with the outcome when the task finishes.")
  String webhookUrl;

  @Mixin ServerOption server;

  @Override
  public Integer call() throws Exception {
    ObjectNode task = TaskBody.calling(spec.commandLine(), url, data);
    if (delay != null) task.put("delay", delay);
    if (retries != null) task.put("retries", retries);
    if (priority != null) task.put("priority", priority);
    if (queue != null) task.put("queue", queue);
    if (webhookUrl != null) task.put("webhookUrl", webhookUrl);
    HttpRequest.Builder request = server.request("/v1/tasks")
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(task.toString()));
    return ApiCall.send(request, spec.commandLine().getOut(), spec.commandLine().getErr());
  }
}
