package dev.offload.server.cli;

import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description = "Show a task, optionally waiting for it to finish.",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:the task succeeded, or is not finished and --wait was not given",
      "1:the server refused the request (the problem is printed on stderr)",
      "2:a bad option, or the server cannot be reached",
      "3:the task failed",
      "4:the task was cancelled",
      "5:--wait ran out before the task finished"
    })
public final class StatusCommand implements Callable<Integer> {
  static final int FAILED = 3;
  static final int CANCELLED = 4;
  static final int NOT_FINISHED = 5;

  /** The server's longest long-poll; a longer --wait polls again until it runs out. */
  private static final Duration LONGEST_POLL = Duration.ofSeconds(60);

  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "TASK_ID", description = "The task id (tsk_…).")
  String taskId;

  @Option(
      names = "--wait",
      converter = DurationConverter.class,
      description =
          "Wait up to this long for the task to finish, e.g. 25s, 10m (polls again every 60s).")
  Duration waitFor;

  @Mixin ServerOption server;

  @Override
  public Integer call() throws Exception {
    String path = "/v1/tasks/" + URLEncoder.encode(taskId, StandardCharsets.UTF_8);
    Instant deadline = waitFor == null ? null : Instant.now().plus(waitFor);
    while (true) {
      Duration poll =
          deadline == null
              ? Duration.ZERO
              : min(Duration.between(Instant.now(), deadline), LONGEST_POLL);
      String query = poll.isPositive() ? "?wait=" + poll.toMillis() + "ms" : "";
      HttpRequest.Builder request =
          server.request(path + query).timeout(poll.plusSeconds(15)).GET();
      Optional<ApiCall.Answer> answer = ApiCall.fetch(request, spec.commandLine().getErr());
      if (answer.isEmpty()) return ApiCall.UNREACHABLE;
      if (answer.get().failed())
        return ApiCall.print(
            answer.get(), spec.commandLine().getOut(), spec.commandLine().getErr());
      String status = TaskBody.parse(answer.get()).path("status").asText();
      boolean finished =
          status.equals("succeeded") || status.equals("failed") || status.equals("cancelled");
      if (finished || deadline == null || !Instant.now().isBefore(deadline)) {
        spec.commandLine().getOut().println(answer.get().body());
        return exitCode(status, deadline != null);
      }
    }
  }

  private static int exitCode(String status, boolean waited) {
    return switch (status) {
      case "failed" -> FAILED;
      case "cancelled" -> CANCELLED;
      case "succeeded" -> 0;
      default -> waited ? NOT_FINISHED : 0;
    };
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
