package dev.offload.server.cli;

import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "status", mixinStandardHelpOptions = true, description = "Show a task, optionally waiting for it to finish.")
public final class StatusCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "TASK_ID", description = "The task id (tsk_…).")
  String taskId;

  @Option(names = "--wait", description = "Wait up to this long (max 60s) for the task to finish, e.g. 25s.")
  String waitFor;

  @Mixin ServerOption server;

  @Override
  public Integer call() throws Exception {
    String path = "/v1/tasks/" + URLEncoder.encode(taskId, StandardCharsets.UTF_8);
    if (waitFor != null) path += "?wait=" + URLEncoder.encode(waitFor, StandardCharsets.UTF_8);
    HttpRequest.Builder request = server.request(path).timeout(Duration.ofSeconds(75)).GET();
    return ApiCall.send(request, spec.commandLine().getOut(), spec.commandLine().getErr());
  }
}
