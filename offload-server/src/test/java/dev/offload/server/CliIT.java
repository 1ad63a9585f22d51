package dev.offload.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.junit.jupiter.api.io.TempDir;

/** The command line of DESIGN.md §10, run from the shaded jar as a user runs it. */
class CliIT {
  private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dataDir;
  @TempDir Path workDir;
  private static RunningServer server;
  private static TestTarget target;
  private final List<OffloadProcess> processes = new ArrayList<>();

  @RegisterExtension
  final TestExecutionExceptionHandler printServerOutput = (context, failure) -> {
    processes.forEach(OffloadProcess::printLog);
    throw failure;
  };

  @BeforeAll
  static void start() throws Exception {
    target = new TestTarget();
    server = new RunningServer(dataDir);
  }

  @AfterEach
  void stopProcesses() {
    processes.forEach(OffloadProcess::close);
  }

  @AfterAll
  static void stop() {
    if (server != null) server.close();
    if (target != null) target.close();
  }

  @Test
  void serve_help_lists_its_options() throws Exception {
    OffloadProcess.Result help = run("serve", "--help");
    assertThat(help.exitCode()).as(help.toString()).isZero();
    assertThat(help.out()).as(help.toString())
        .contains("--port", "--bind", "--data-dir", "--max-payload", "--lease-timeout", "OFFLOAD_PORT");
  }

  @Test
  void enqueue_help_lists_its_options() throws Exception {
    OffloadProcess.Result help = run("enqueue", "--help");
    assertThat(help.exitCode()).as(help.toString()).isZero();
    assertThat(help.out()).as(help.toString()).contains("--url", "--data", "--delay", "--retries", "--queue", "--server");
  }

  @Test
  void status_help_lists_its_options() throws Exception {
    OffloadProcess.Result help = run("status", "--help");
    assertThat(help.exitCode()).as(help.toString()).isZero();
    assertThat(help.out()).as(help.toString()).contains("TASK_ID", "--wait", "--server");
  }

  @Test
  void enqueue_creates_a_task_that_calls_the_target_with_the_data() throws Exception {
    OffloadProcess.Result enqueued = run("enqueue", "--url", target.url("/enqueued"), "--data", "{\"a\":1}",
        "--server", server.url(""));

    assertThat(enqueued.exitCode()).as(enqueued.toString()).isZero();
    JsonNode answer = JSON.readTree(enqueued.out());
    String taskId = answer.path("taskId").asText();
    assertThat(taskId).as(enqueued.toString()).startsWith("tsk_");
    await("the target called").atMost(Duration.ofSeconds(15)).until(() -> !target.received("/enqueued").isEmpty());
    TestTarget.Received call = target.received("/enqueued").getFirst();
    assertThat(JSON.readTree(call.body())).isEqualTo(JSON.readTree("{\"a\":1}"));
    assertThat(call.header("Offload-Task-Id")).isEqualTo(taskId);
    assertThat(call.header("Content-Type")).startsWith("application/json");
  }

  @Test
  void status_waits_for_the_task_and_prints_it_succeeded() throws Exception {
    target.on("/slowish", TestTarget.Reply.ok("{\"done\":true}").holding(Duration.ofMillis(500)));
    String taskId = server.createTask("{\"callbackUrl\":\"" + target.url("/slowish") + "\"}");

    OffloadProcess.Result status = run("status", taskId, "--wait", "5s", "--server", server.url(""));

    assertThat(status.exitCode()).as(status.toString()).isZero();
    JsonNode task = JSON.readTree(status.out());
    assertThat(task.path("taskId").asText()).isEqualTo(taskId);
    assertThat(task.path("status").asText()).as(status.toString()).isEqualTo("succeeded");
    assertThat(task.path("result").path("body").path("done").asBoolean()).isTrue();
  }

  @Test
  void status_of_an_unknown_task_exits_non_zero_with_the_problem() throws Exception {
    OffloadProcess.Result status = run("status", "tsk_01JD0000000000000000000000", "--server", server.url(""));

    assertThat(status.exitCode()).as(status.toString()).isNotZero();
    assertThat(status.err()).as(status.toString()).contains("404", "tsk_01JD0000000000000000000000");
  }

  @Test
  void enqueue_with_invalid_data_exits_non_zero_and_says_why() throws Exception {
    OffloadProcess.Result enqueued = run("enqueue", "--url", target.url("/never"), "--data", "{a:1",
        "--server", server.url(""));

    assertThat(enqueued.exitCode()).as(enqueued.toString()).isNotZero();
    assertThat(enqueued.err()).as(enqueued.toString()).contains("--data").containsIgnoringCase("not valid JSON");
    assertThat(enqueued.out()).as(enqueued.toString()).doesNotContain("taskId");
    assertThat(target.received("/never")).isEmpty();
  }

  @Test
  void enqueue_when_the_server_is_unreachable_exits_non_zero_and_says_so() throws Exception {
    String nobody = "http://127.0.0.1:" + OffloadProcess.freePort();
    OffloadProcess.Result enqueued = run("enqueue", "--url", target.url("/never"), "--server", nobody);

    assertThat(enqueued.exitCode()).as(enqueued.toString()).isNotZero();
    assertThat(enqueued.err()).as(enqueued.toString()).contains("cannot reach Offload at " + nobody);
  }

  @Test
  void serve_takes_its_port_from_OFFLOAD_PORT() throws Exception {
    int port = OffloadProcess.freePort();
    Path data = workDir.resolve("env-data");
    OffloadProcess serve = OffloadProcess.start("serve-env", workDir, Map.of("OFFLOAD_PORT", Integer.toString(port)),
        "serve", "--data-dir", data.toString());
    processes.add(serve);

    serve.onPort(port).awaitUp("/healthz");

    RunningServer.Answer health = serve.get("/healthz");
    assertThat(health.status()).isEqualTo(200);
    assertThat(health.header("Offload-Request-Id")).isNotBlank();
    assertThat(Files.exists(data.resolve("offload.db"))).as("the SQLite file in --data-dir").isTrue();
  }

  @Test
  void serve_refuses_a_public_bind_in_dev_mode_and_production_mode_without_tokens() throws Exception {
    OffloadProcess.Result publicBind = run("serve", "--bind", "0.0.0.0", "--port", "0", "--data-dir", workDir.resolve("a").toString());
    assertThat(publicBind.exitCode()).as(publicBind.toString()).isNotZero();
    assertThat(publicBind.err()).contains("--bind 0.0.0.0 is not a loopback address").contains("--mode production");

    OffloadProcess.Result noTokens = run("serve", "--mode", "production", "--port", "0", "--data-dir", workDir.resolve("b").toString());
    assertThat(noTokens.exitCode()).as(noTokens.toString()).isNotZero();
    assertThat(noTokens.err()).contains("--mode production needs API tokens: set OFFLOAD_API_TOKENS");
  }

  @Test
  void serve_refuses_a_retention_that_is_not_forever_or_a_duration_from_a_minute_to_ten_years() throws Exception {
    OffloadProcess.Result refused = run("serve", "--port", "0", "--data-dir", workDir.resolve("r").toString(), "--retain-succeeded", "30s");
    assertThat(refused.exitCode()).as(refused.toString()).isNotZero();
    assertThat(refused.err()).contains("--retain-succeeded", "'30s' must be \"forever\" or a duration from 1m to 3650d");
    OffloadProcess.Result fromEnvironment = OffloadProcess.run(workDir, COMMAND_TIMEOUT, Map.of("OFFLOAD_RETAIN_FAILED", "never"),
        "serve", "--port", "0", "--data-dir", workDir.resolve("r").toString());
    assertThat(fromEnvironment.exitCode()).as(fromEnvironment.toString()).isNotZero();
    assertThat(fromEnvironment.err()).contains("--retain-failed", "'never'");
  }

  @Test
  void commands_send_the_token_from_the_option_or_OFFLOAD_TOKEN_to_a_production_server() throws Exception {
    String token = "tok_cli_0123456789abcdef";
    int port = OffloadProcess.freePort();
    OffloadProcess serve = OffloadProcess.start("serve-production", workDir,
        Map.of("OFFLOAD_API_TOKENS", token, "OFFLOAD_MODE", "production", "OFFLOAD_ALLOW_TARGET", "127.0.0.1/32"),
        "serve", "--port", Integer.toString(port), "--data-dir", workDir.resolve("prod").toString());
    processes.add(serve);
    serve.onPort(port).awaitUp("/healthz");
    String url = serve.url("");

    OffloadProcess.Result refused = run("enqueue", "--url", target.url("/cli-token"), "--server", url);
    assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(1);
    assertThat(refused.err()).contains("\"status\":401");

    OffloadProcess.Result enqueued = run("enqueue", "--url", target.url("/cli-token"), "--server", url, "--token", token);
    assertThat(enqueued.exitCode()).as(enqueued.toString()).isZero();
    String taskId = JSON.readTree(enqueued.out()).path("taskId").asText();

    OffloadProcess.Result status = OffloadProcess.run(workDir, COMMAND_TIMEOUT, Map.of("OFFLOAD_TOKEN", token),
        "status", taskId, "--wait", "10s", "--server", url);
    assertThat(status.exitCode()).as(status.toString()).isZero();
    assertThat(JSON.readTree(status.out()).path("status").asText()).isEqualTo("succeeded");
    assertThat(serve.log()).doesNotContain(token);
  }

  private OffloadProcess.Result run(String... args) throws Exception {
    return OffloadProcess.run(workDir, COMMAND_TIMEOUT, args);
  }
}
