package dev.offload.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/** The calls of {@link BulkCommand}: count, start, then follow the action until it finishes. */
final class BulkRun {
  static final int SOME_FAILED = 3;
  static final int CANCELLED = 4;

  /** The API has no long-poll for bulk actions; a person watching needs no more than this. */
  private static final Duration POLL = Duration.ofMillis(500);

  private static final int BAR_WIDTH = 30;

  private final ServerOption server;
  private final PrintWriter out;
  private final PrintWriter err;

  BulkRun(ServerOption server, PrintWriter out, PrintWriter err) {
    this.server = server;
    this.out = out;
    this.err = err;
  }

  int start(String action, ObjectNode filter, boolean dryRun, boolean noWait)
      throws InterruptedException {
    ObjectNode body = TaskBody.mapper().createObjectNode().put("action", action);
    body.set("filter", filter);
    body.put("dryRun", true);
    Optional<ApiCall.Answer> counted = post(body);
    if (counted.isEmpty()) return ApiCall.UNREACHABLE;
    if (counted.get().failed()) return ApiCall.print(counted.get(), out, err);
    long matched = TaskBody.parse(counted.get()).path("matched").asLong();
    out.println(matched + (matched == 1 ? " task matches." : " tasks match."));
    if (dryRun) return 0;
    if (matched == 0) {
      out.println("Nothing to " + action + ".");
      return 0;
    }
    body.remove("dryRun");
    Optional<ApiCall.Answer> started = post(body);
    if (started.isEmpty()) return ApiCall.UNREACHABLE;
    if (started.get().failed()) return ApiCall.print(started.get(), out, err);
    JsonNode running = TaskBody.parse(started.get());
    String id = running.path("actionId").asText();
    out.println(
        (started.get().status() == 202
                ? "Started bulk " + action + " " + id
                : "A bulk " + action + " of this filter is already running: " + id)
            + " (offload tasks bulk status "
            + id
            + ").");
    out.flush();
    return noWait ? 0 : follow(id, running);
  }

  int status(String actionId) throws InterruptedException {
    Optional<ApiCall.Answer> answer = ApiCall.fetch(server.request(path(actionId)).GET(), err);
    if (answer.isEmpty()) return ApiCall.UNREACHABLE;
    if (answer.get().failed()) return ApiCall.print(answer.get(), out, err);
    out.println(answer.get().body());
    return exitCode(TaskBody.parse(answer.get()));
  }

  /** Prints a progress line whenever the counts move, and a summary once the action finished. */
  private int follow(String id, JsonNode action) throws InterruptedException {
    String shown = "";
    while (true) {
      String line = progress(action);
      if (!line.equals(shown)) {
        out.println(line);
        out.flush();
        shown = line;
      }
      if (!"running".equals(action.path("status").asText())) break;
      Thread.sleep(POLL);
      Optional<ApiCall.Answer> answer = ApiCall.fetch(server.request(path(id)).GET(), err);
      if (answer.isEmpty()) return ApiCall.UNREACHABLE;
      if (answer.get().failed()) return ApiCall.print(answer.get(), out, err);
      action = TaskBody.parse(answer.get());
    }
    out.println(
        "Bulk "
            + action.path("action").asText()
            + " "
            + action.path("status").asText()
            + ": "
            + action.path("done").asLong()
            + " done, "
            + action.path("failed").asLong()
            + " failed, of "
            + action.path("matched").asLong()
            + " matched.");
    return exitCode(action);
  }

  /** {@code [#########.....] 12/40 (11 done, 1 failed)}; "counting" until the server has. */
  static String progress(JsonNode action) {
    JsonNode matched = action.path("matched");
    if (!matched.isNumber()) return "[" + ".".repeat(BAR_WIDTH) + "] counting the tasks";
    long total = matched.asLong();
    long done = action.path("done").asLong();
    long failed = action.path("failed").asLong();
    long processed = done + failed;
    int filled = total == 0 ? BAR_WIDTH : (int) Math.min(BAR_WIDTH, processed * BAR_WIDTH / total);
    return "["
        + "#".repeat(filled)
        + ".".repeat(BAR_WIDTH - filled)
        + "] "
        + processed
        + "/"
        + total
        + "  ("
        + done
        + " done, "
        + failed
        + " failed)";
  }

  private static int exitCode(JsonNode action) {
    return switch (action.path("status").asText()) {
      case "cancelled" -> CANCELLED;
      case "succeeded" -> action.path("failed").asLong() > 0 ? SOME_FAILED : 0;
      default -> 0;
    };
  }

  private Optional<ApiCall.Answer> post(ObjectNode body) throws InterruptedException {
    return ApiCall.fetch(
        server
            .request("/v1/bulk-actions")
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body.toString())),
        err);
  }

  private static String path(String actionId) {
    return "/v1/bulk-actions/" + URLEncoder.encode(actionId, StandardCharsets.UTF_8);
  }
}
