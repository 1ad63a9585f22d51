package dev.offload.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.junit.jupiter.api.io.TempDir;

/** {@code offload queues …}, run from the shaded jar against a real server. */
class QueueCliIT extends LiveServerSupport {
  private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);

  @TempDir Path workDir;
  private final List<OffloadProcess> processes = new ArrayList<>();

  @RegisterExtension
  final TestExecutionExceptionHandler printServerOutput =
      (context, failure) -> {
        processes.forEach(OffloadProcess::printLog);
        throw failure;
      };

  @AfterEach
  void stopProcesses() {
    processes.forEach(OffloadProcess::close);
    processes.clear();
  }

  @Test
  void list_prints_a_table_of_limits_and_figures_and_json_on_request() throws Exception {
    assertThat(
            queues("set", "held", "--concurrency", "3", "--rate-per-second", "0.5", "--burst", "2")
                .exitCode())
        .isZero();
    assertThat(queues("pause", "held").exitCode()).isZero();
    server.createTask(json("{'callbackUrl':'%s','queue':'held'}", target.url("/held")));
    server.createTask(json("{'callbackUrl':'%s','queue':'held'}", target.url("/held")));
    // p95 of 800 ms against a 1 s timeout is past 70 % over 20 attempts, enough to judge: the queue
    // is flagged.
    target.on("/slow", TestTarget.Reply.ok("{}").holding(Duration.ofMillis(800)));
    List<String> slow = new ArrayList<>();
    for (int i = 0; i < 20; i++)
      slow.add(
          server.createTask(
              json(
                  "{'callbackUrl':'%s','queue':'slow','timeout':'1s','retries':0}",
                  target.url("/slow"))));
    slow.forEach(server::awaitFinished);

    OffloadProcess.Result table = queues("list");

    assertThat(table.exitCode()).as(table.toString()).isZero();
    List<String> lines = table.out().lines().toList();
    assertThat(lines.getFirst())
        .as(table.toString())
        .startsWith("QUEUE")
        .contains(
            "PAUSED",
            "CONCURRENCY",
            "RATE/S",
            "QUEUED",
            "RUNNING",
            "RETRYING",
            "FAILED",
            "OLDEST READY",
            "DONE/MIN",
            "P95");
    assertThat(cells(lines, "held"))
        .as(table.toString())
        .startsWith("held", "yes", "3", "0.5", "2", "0", "0", "0");
    assertThat(cells(lines, "held").get(8))
        .as("the oldest ready task's age")
        .matches("\\d+(\\.\\d)?(ms|s)");
    assertThat(cells(lines, "held").subList(9, 11))
        .as("nothing done, no attempt")
        .containsExactly("0", "-");
    assertThat(cells(lines, "slow"))
        .as(table.toString())
        .startsWith("slow", "no", "-", "-", "0", "0", "0");
    assertThat(line(lines, "slow"))
        .as(table.toString())
        .endsWith("near timeout: p95 past 70% of 1.0s");
    assertThat(line(lines, "held")).doesNotContain("near timeout");

    OffloadProcess.Result json = queues("list", "--json");
    assertThat(json.exitCode()).as(json.toString()).isZero();
    JsonNode held = byName(JSON.readTree(json.out()).path("queues"), "held");
    assertThat(held.path("counts").path("queued").asLong()).isEqualTo(2);
    assertThat(held.path("burst").asInt()).isEqualTo(2);
  }

  @Test
  void get_and_history_print_the_api_json() throws Exception {
    server.awaitFinished(
        server.createTask(json("{'callbackUrl':'%s','queue':'seen'}", target.url("/seen"))));

    OffloadProcess.Result get = queues("get", "seen");
    assertThat(get.exitCode()).as(get.toString()).isZero();
    JsonNode queue = JSON.readTree(get.out());
    assertThat(queue.path("name").asText()).isEqualTo("seen");
    assertThat(queue.path("counts").path("succeeded").asLong()).isEqualTo(1);

    OffloadProcess.Result history = queues("history", "seen");
    assertThat(history.exitCode()).as(history.toString()).isZero();
    JsonNode timeline = JSON.readTree(history.out());
    assertThat(timeline.path("queue").asText()).isEqualTo("seen");
    assertThat(timeline.path("buckets")).hasSize(60);
    assertThat(
            timeline.path("buckets").get(59).path("finished").asLong()
                + timeline.path("buckets").get(58).path("finished").asLong())
        .as("finished this minute or, at a minute's turn, the last")
        .isEqualTo(1);
  }

  @Test
  void set_changes_only_the_options_given_and_none_removes_a_limit() throws Exception {
    OffloadProcess.Result first =
        queues("set", "shaped", "--concurrency", "4", "--rate-per-second", "20", "--burst", "5");
    assertThat(first.exitCode()).as(first.toString()).isZero();
    assertThat(settings(JSON.readTree(first.out())))
        .isEqualTo("concurrency=4 rate=20.0 burst=5 paused=false");

    assertThat(settings(set("shaped", "--concurrency", "8")))
        .isEqualTo("concurrency=8 rate=20.0 burst=5 paused=false");
    assertThat(settings(set("shaped", "--rate-per-second", "2.5")))
        .isEqualTo("concurrency=8 rate=2.5 burst=5 paused=false");
    assertThat(settings(set("shaped", "--rate-per-second", "none")))
        .as("the burst goes with the rate")
        .isEqualTo("concurrency=8 rate=null burst=null paused=false");
    assertThat(settings(set("shaped", "--concurrency", "none", "--rate-per-second", "1")))
        .as("the default burst")
        .isEqualTo("concurrency=null rate=1.0 burst=1 paused=false");
    assertThat(settings(server.get("/v1/queues/shaped").body()))
        .isEqualTo("concurrency=null rate=1.0 burst=1 paused=false");
  }

  @Test
  void pause_and_resume_keep_the_limits_and_hold_then_release_the_tasks() throws Exception {
    set("gated", "--concurrency", "2", "--rate-per-second", "50", "--burst", "3");
    OffloadProcess.Result pause = queues("pause", "gated");
    assertThat(pause.exitCode()).as(pause.toString()).isZero();
    assertThat(settings(JSON.readTree(pause.out())))
        .isEqualTo("concurrency=2 rate=50.0 burst=3 paused=true");
    assertThat(settings(set("gated", "--concurrency", "3")))
        .as("set keeps the pause")
        .isEqualTo("concurrency=3 rate=50.0 burst=3 paused=true");
    String taskId =
        server.createTask(json("{'callbackUrl':'%s','queue':'gated'}", target.url("/gated")));
    assertThat(server.get("/v1/tasks/" + taskId).body().path("status").asText())
        .as("held while paused")
        .isEqualTo("queued");

    OffloadProcess.Result resume = queues("resume", "gated");

    assertThat(resume.exitCode()).as(resume.toString()).isZero();
    assertThat(settings(JSON.readTree(resume.out())))
        .isEqualTo("concurrency=3 rate=50.0 burst=3 paused=false");
    assertThat(server.awaitFinished(taskId).path("status").asText()).isEqualTo("succeeded");
  }

  @Test
  void an_unknown_queue_is_a_404_except_for_set_which_prepares_it() throws Exception {
    for (String command : List.of("get", "history", "pause", "resume")) {
      OffloadProcess.Result missing = queues(command, "nope");
      assertThat(missing.exitCode()).as(missing.toString()).isEqualTo(1);
      assertThat(missing.err()).as(missing.toString()).contains("\"status\":404", "no queue nope");
      assertThat(missing.out()).isEmpty();
    }
    assertThat(server.get("/v1/queues/nope").status()).as("pause made nothing").isEqualTo(404);

    assertThat(settings(set("prepared", "--concurrency", "1")))
        .isEqualTo("concurrency=1 rate=null burst=null paused=false");
    assertThat(server.get("/v1/queues/prepared").status()).isEqualTo(200);
  }

  @Test
  void bad_settings_print_the_problem_and_exit_1_and_bad_options_exit_2() throws Exception {
    set("strict", "--concurrency", "2");
    OffloadProcess.Result zero = queues("set", "strict", "--concurrency", "0");
    assertThat(zero.exitCode()).as(zero.toString()).isEqualTo(1);
    assertThat(zero.err())
        .as(zero.toString())
        .contains(
            "\"status\":400",
            "\"field\":\"concurrency\"",
            "must be a whole number from 1 to 100000");

    OffloadProcess.Result burstAlone = queues("set", "strict", "--burst", "4");
    assertThat(burstAlone.exitCode()).as(burstAlone.toString()).isEqualTo(1);
    assertThat(burstAlone.err())
        .as(burstAlone.toString())
        .contains("\"status\":400", "\"field\":\"burst\"", "goes with ratePerSecond");
    assertThat(settings(server.get("/v1/queues/strict").body()))
        .as("unchanged")
        .isEqualTo("concurrency=2 rate=null burst=null paused=false");

    OffloadProcess.Result word = queues("set", "strict", "--concurrency", "lots");
    assertThat(word.exitCode()).as(word.toString()).isEqualTo(2);
    assertThat(word.err()).as(word.toString()).contains("'lots' is neither a number nor 'none'");
    OffloadProcess.Result nothing = queues("set", "strict");
    assertThat(nothing.exitCode()).as(nothing.toString()).isEqualTo(2);
    assertThat(nothing.err())
        .as(nothing.toString())
        .contains("give at least one of --concurrency, --rate-per-second, --burst");
  }

  @Test
  void an_unreachable_server_is_said_plainly() throws Exception {
    String nobody = "http://127.0.0.1:" + OffloadProcess.freePort();
    for (String[] command : List.of(new String[] {"list"}, new String[] {"pause", "any"})) {
      OffloadProcess.Result result =
          run(concat(new String[] {"queues"}, command, new String[] {"--server", nobody}));
      assertThat(result.exitCode()).as(result.toString()).isEqualTo(2);
      assertThat(result.err())
          .as(result.toString())
          .contains("cannot reach Offload at " + nobody, "is 'offload serve' running?");
    }
  }

  @Test
  void commands_send_the_token_from_the_option_or_OFFLOAD_TOKEN_to_a_production_server()
      throws Exception {
    String token = "tok_queues_0123456789abcdef";
    int port = OffloadProcess.freePort();
    OffloadProcess serve =
        OffloadProcess.start(
            "serve-production",
            workDir,
            Map.of("OFFLOAD_API_TOKENS", token, "OFFLOAD_MODE", "production"),
            "serve",
            "--port",
            Integer.toString(port),
            "--data-dir",
            workDir.resolve("prod").toString());
    processes.add(serve);
    serve.onPort(port).awaitUp("/healthz");
    String url = serve.url("");

    OffloadProcess.Result refused = run("queues", "list", "--server", url);
    assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(1);
    assertThat(refused.err()).contains("\"status\":401");

    OffloadProcess.Result set =
        run("queues", "set", "secured", "--concurrency", "2", "--server", url, "--token", token);
    assertThat(set.exitCode()).as(set.toString()).isZero();
    OffloadProcess.Result pause =
        OffloadProcess.run(
            workDir,
            COMMAND_TIMEOUT,
            Map.of("OFFLOAD_TOKEN", token),
            "queues",
            "pause",
            "secured",
            "--server",
            url);
    assertThat(pause.exitCode()).as(pause.toString()).isZero();
    assertThat(settings(JSON.readTree(pause.out())))
        .isEqualTo("concurrency=2 rate=null burst=null paused=true");
    OffloadProcess.Result list = run("queues", "list", "--server", url, "--token", token);
    assertThat(cells(list.out().lines().toList(), "secured"))
        .as(list.toString())
        .startsWith("secured", "yes", "2");
    assertThat(serve.log()).doesNotContain(token);
  }

  private JsonNode set(String name, String... options) throws Exception {
    OffloadProcess.Result result = queues(concat(new String[] {"set", name}, options));
    assertThat(result.exitCode()).as(result.toString()).isZero();
    return JSON.readTree(result.out());
  }

  /** {@code offload queues args… --server} the shared server. */
  private OffloadProcess.Result queues(String... args) throws Exception {
    return run(concat(new String[] {"queues"}, args, new String[] {"--server", server.url("")}));
  }

  private OffloadProcess.Result run(String... args) throws Exception {
    return OffloadProcess.run(workDir, COMMAND_TIMEOUT, args);
  }

  private static String settings(JsonNode queue) {
    return "concurrency="
        + queue.path("concurrency")
        + " rate="
        + queue.path("ratePerSecond")
        + " burst="
        + queue.path("burst")
        + " paused="
        + queue.path("paused");
  }

  private static String line(List<String> lines, String queue) {
    return lines.stream()
        .filter(l -> l.startsWith(queue + " "))
        .findFirst()
        .orElseThrow(
            () -> new AssertionError("no line for " + queue + " in\n" + String.join("\n", lines)));
  }

  private static List<String> cells(List<String> lines, String queue) {
    return Arrays.asList(line(lines, queue).split("\\s+"));
  }

  private static JsonNode byName(JsonNode queues, String name) {
    for (JsonNode queue : queues) if (queue.path("name").asText().equals(name)) return queue;
    throw new AssertionError("no queue " + name + " in " + queues);
  }

  private static String[] concat(String[]... parts) {
    return Arrays.stream(parts).flatMap(Arrays::stream).toArray(String[]::new);
  }
}
