package dev.offload.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.offload.server.TestTarget.Reply;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code offload tasks bulk …}, run from the shaded jar as a user runs it. */
class BulkCliIT {
  private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern STARTED = Pattern.compile("Started bulk \\w+ (\\S+) \\(");

  @TempDir static Path dataDir;
  @TempDir Path workDir;
  private static RunningServer server;
  private static TestTarget target;

  @BeforeAll
  static void start() {
    target = new TestTarget();
    server = new RunningServer(dataDir);
  }

  @AfterAll
  static void stop() {
    if (server != null) server.close();
    if (target != null) target.close();
  }

  @Test
  void bulk_retry_counts_starts_and_shows_progress_until_every_failed_task_of_the_queue_ran_again()
      throws Exception {
    target.on("/flaky", Reply.status(400));
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 3; i++) ids.add(task("/flaky", "cli-bulk-retry", ""));
    ids.forEach(server::awaitFinished);
    target.on("/flaky", Reply.ok("{}"));

    OffloadProcess.Result dryRun =
        run(
            "tasks",
            "bulk",
            "retry",
            "--queue",
            "cli-bulk-retry",
            "--status",
            "failed",
            "--dry-run");
    OffloadProcess.Result retry =
        run("tasks", "bulk", "retry", "--queue", "cli-bulk-retry", "--status", "failed");

    assertThat(dryRun.exitCode()).as(dryRun.toString()).isZero();
    assertThat(dryRun.out()).as(dryRun.toString()).isEqualTo("3 tasks match.\n");
    assertThat(retry.exitCode()).as(retry.toString()).isZero();
    List<String> lines = retry.out().lines().toList();
    assertThat(lines.getFirst()).isEqualTo("3 tasks match.");
    assertThat(lines.get(1)).as(retry.toString()).matches(STARTED.pattern() + ".*");
    assertThat(lines.get(lines.size() - 2))
        .as(retry.toString())
        .isEqualTo("[" + "#".repeat(30) + "] 3/3  (3 done, 0 failed)");
    assertThat(lines.getLast())
        .as(retry.toString())
        .isEqualTo("Bulk retry succeeded: 3 done, 0 failed, of 3 matched.");
    for (String id : ids) {
      assertThat(server.awaitFinished(id).path("status").asText()).isEqualTo("succeeded");
    }

    OffloadProcess.Result status = run("tasks", "bulk", "status", actionId(retry));
    assertThat(status.exitCode()).as(status.toString()).isZero();
    JsonNode action = JSON.readTree(status.out());
    assertThat(action.path("status").asText()).isEqualTo("succeeded");
    assertThat(action.path("done").asLong()).isEqualTo(3);
  }

  @Test
  void bulk_cancel_without_waiting_prints_the_id_and_status_exits_3_when_some_tasks_did_not_apply()
      throws Exception {
    target.on("/now", Reply.ok("{}"));
    String finished = task("/now", "cli-bulk-cancel", "");
    server.awaitFinished(finished);
    String later =
        task("/later", "cli-bulk-cancel", ",\"delay\":\"1h\",\"metadata\":{\"k\":\"v\"}");

    OffloadProcess.Result cancel =
        run("tasks", "bulk", "cancel", "--queue", "cli-bulk-cancel", "--no-wait");

    assertThat(cancel.exitCode()).as(cancel.toString()).isZero();
    assertThat(cancel.out().lines().toList()).as(cancel.toString()).hasSize(2);
    String id = actionId(cancel);
    server.awaitFinished(later);
    OffloadProcess.Result status = awaitActionFinished(id);
    assertThat(status.exitCode()).as("one matched task had finished: " + status).isEqualTo(3);
    assertThat(JSON.readTree(status.out()).path("failed").asLong()).isEqualTo(1);
    assertThat(server.get("/v1/tasks/" + later).body().path("status").asText())
        .isEqualTo("cancelled");

    OffloadProcess.Result delete =
        run("tasks", "bulk", "delete", "--queue", "cli-bulk-cancel", "--metadata", "k=v");
    assertThat(delete.exitCode()).as(delete.toString()).isZero();
    assertThat(delete.out()).startsWith("1 task matches.");
    assertThat(server.get("/v1/tasks/" + later).status()).isEqualTo(404);
    assertThat(server.get("/v1/tasks/" + finished).status()).isEqualTo(200);
  }

  @Test
  void bulk_refuses_no_filter_and_a_bad_time_as_usage_errors_and_a_bad_status_with_the_problem()
      throws Exception {
    OffloadProcess.Result noFilter = run("tasks", "bulk", "delete");
    OffloadProcess.Result badTime = run("tasks", "bulk", "delete", "--created-after", "yesterday");
    OffloadProcess.Result badStatus = run("tasks", "bulk", "retry", "--status", "sleeping");
    OffloadProcess.Result unknown = run("tasks", "bulk", "status", "bulk_01NOTHING");

    assertThat(noFilter.exitCode()).as(noFilter.toString()).isEqualTo(2);
    assertThat(noFilter.err()).contains("give at least one filter");
    assertThat(badTime.exitCode()).as(badTime.toString()).isEqualTo(2);
    assertThat(badTime.err()).contains("'yesterday' is not an RFC 3339 time");
    assertThat(badStatus.exitCode()).as(badStatus.toString()).isEqualTo(1);
    assertThat(badStatus.err()).contains("400", "status");
    assertThat(unknown.exitCode()).as(unknown.toString()).isEqualTo(1);
    assertThat(unknown.err()).contains("404");
  }

  private String task(String path, String queue, String more) {
    return server.createTask(
        "{\"callbackUrl\":\""
            + target.url(path)
            + "\",\"retries\":0,\"queue\":\""
            + queue
            + "\""
            + more
            + "}");
  }

  private OffloadProcess.Result awaitActionFinished(String id) {
    AtomicReference<OffloadProcess.Result> status = new AtomicReference<>();
    await("the action finished")
        .atMost(COMMAND_TIMEOUT)
        .until(
            () -> {
              status.set(run("tasks", "bulk", "status", id));
              return !JSON.readTree(status.get().out()).path("status").asText().equals("running");
            });
    return status.get();
  }

  private static String actionId(OffloadProcess.Result result) {
    Matcher started = STARTED.matcher(result.out());
    assertThat(started.find()).as(result.toString()).isTrue();
    return started.group(1);
  }

  private OffloadProcess.Result run(String... args) throws Exception {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--server", server.url("")));
    return OffloadProcess.run(workDir, COMMAND_TIMEOUT, all.toArray(String[]::new));
  }
}
