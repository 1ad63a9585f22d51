package dev.offload.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.offload.testing.TestPostgres;
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

/** The command line of README: Configuration, run from the shaded jar as a user runs it. */
class CliIT {
  private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dataDir;
  @TempDir Path workDir;
  private static RunningServer server;
  private static TestTarget target;
  private final List<OffloadProcess> processes = new ArrayList<>();

  @RegisterExtension
  final TestExecutionExceptionHandler printServerOutput =
      (context, failure) -> {
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
    assertThat(help.out())
        .as(help.toString())
        .contains(
            "--port", "--bind", "--data-dir", "--max-payload", "--lease-timeout", "OFFLOAD_PORT");
  }

  @Test
  void enqueue_help_lists_its_options() throws Exception {
    OffloadProcess.Result help = run("enqueue", "--help");
    assertThat(help.exitCode()).as(help.toString()).isZero();
    assertThat(help.out())
        .as(help.toString())
        .contains("--url", "--data", "--delay", "--retries", "--priority", "--queue", "--server");
  }

  @Test
  void status_help_lists_its_options() throws Exception {
    OffloadProcess.Result help = run("status", "--help");
    assertThat(help.exitCode()).as(help.toString()).isZero();
    assertThat(help.out()).as(help.toString()).contains("TASK_ID", "--wait", "--server");
  }

  @Test
  void enqueue_creates_a_task_that_calls_the_target_with_the_data() throws Exception {
    OffloadProcess.Result enqueued =
        run(
            "enqueue",
            "--url",
            target.url("/enqueued"),
            "--data",
            "{\"a\":1}",
            "--priority",
            "30",
            "--server",
            server.url(""));

    assertThat(enqueued.exitCode()).as(enqueued.toString()).isZero();
    JsonNode answer = JSON.readTree(enqueued.out());
    String taskId = answer.path("taskId").asText();
    assertThat(taskId).as(enqueued.toString()).startsWith("tsk_");
    await("the target called")
        .atMost(Duration.ofSeconds(15))
        .until(() -> !target.received("/enqueued").isEmpty());
    TestTarget.Received call = target.received("/enqueued").getFirst();
    assertThat(JSON.readTree(call.body())).isEqualTo(JSON.readTree("{\"a\":1}"));
    assertThat(call.header("Offload-Task-Id")).isEqualTo(taskId);
    assertThat(call.header("Content-Type")).startsWith("application/json");
    OffloadProcess.Result status = run("status", taskId, "--server", server.url(""));
    assertThat(JSON.readTree(status.out()).path("priority").asInt())
        .as(status.toString())
        .isEqualTo(30);
  }

  @Test
  void status_waits_for_the_task_and_prints_it_succeeded() throws Exception {
    target.on("/slowish", TestTarget.Reply.ok("{\"done\":true}").holding(Duration.ofMillis(500)));
    String taskId = server.createTask("{\"callbackUrl\":\"" + target.url("/slowish") + "\"}");

    OffloadProcess.Result status =
        run("status", taskId, "--wait", "5s", "--server", server.url(""));

    assertThat(status.exitCode()).as(status.toString()).isZero();
    JsonNode task = JSON.readTree(status.out());
    assertThat(task.path("taskId").asText()).isEqualTo(taskId);
    assertThat(task.path("status").asText()).as(status.toString()).isEqualTo("succeeded");
    assertThat(task.path("result").path("body").path("done").asBoolean()).isTrue();
  }

  @Test
  void status_of_an_unknown_task_exits_non_zero_with_the_problem() throws Exception {
    OffloadProcess.Result status =
        run("status", "tsk_01JD0000000000000000000000", "--server", server.url(""));

    assertThat(status.exitCode()).as(status.toString()).isNotZero();
    assertThat(status.err())
        .as(status.toString())
        .contains("404", "tsk_01JD0000000000000000000000");
  }

  @Test
  void enqueue_with_invalid_data_exits_non_zero_and_says_why() throws Exception {
    OffloadProcess.Result enqueued =
        run("enqueue", "--url", target.url("/never"), "--data", "{a:1", "--server", server.url(""));

    assertThat(enqueued.exitCode()).as(enqueued.toString()).isNotZero();
    assertThat(enqueued.err())
        .as(enqueued.toString())
        .contains("--data")
        .containsIgnoringCase("not valid JSON");
    assertThat(enqueued.out()).as(enqueued.toString()).doesNotContain("taskId");
    assertThat(target.received("/never")).isEmpty();
  }

  @Test
  void enqueue_when_the_server_is_unreachable_exits_non_zero_and_says_so() throws Exception {
    String nobody = "http://127.0.0.1:" + OffloadProcess.freePort();
    OffloadProcess.Result enqueued =
        run("enqueue", "--url", target.url("/never"), "--server", nobody);

    assertThat(enqueued.exitCode()).as(enqueued.toString()).isNotZero();
    assertThat(enqueued.err())
        .as(enqueued.toString())
        .contains("cannot reach Offload at " + nobody);
  }

  @Test
  void serve_takes_its_port_from_OFFLOAD_PORT() throws Exception {
    int port = OffloadProcess.freePort();
    Path data = workDir.resolve("env-data");
    OffloadProcess serve =
        OffloadProcess.start(
            "serve-env",
            workDir,
            Map.of("OFFLOAD_PORT", Integer.toString(port)),
            "serve",
            "--data-dir",
            data.toString());
    processes.add(serve);

    serve.onPort(port).awaitUp("/healthz");

    RunningServer.Answer health = serve.get("/healthz");
    assertThat(health.status()).isEqualTo(200);
    assertThat(health.header("Offload-Request-Id")).isNotBlank();
    assertThat(Files.exists(data.resolve("offload.db")))
        .as("the SQLite file in --data-dir")
        .isTrue();
    assertThat(
            serve
                .log()
                .lines()
                .filter(line -> line.contains("listening on"))
                .findFirst()
                .orElseThrow())
        .as("text log lines start with the date and time, in UTC")
        .matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z INFO .*");
  }

  @Test
  void serve_refuses_a_public_bind_in_dev_mode_and_production_mode_without_tokens()
      throws Exception {
    OffloadProcess.Result publicBind =
        run(
            "serve",
            "--bind",
            "0.0.0.0",
            "--port",
            "0",
            "--data-dir",
            workDir.resolve("a").toString());
    assertThat(publicBind.exitCode()).as(publicBind.toString()).isNotZero();
    assertThat(publicBind.err())
        .contains("--bind 0.0.0.0 is not a loopback address")
        .contains("--mode production");

    OffloadProcess.Result noTokens =
        run(
            "serve",
            "--mode",
            "production",
            "--port",
            "0",
            "--data-dir",
            workDir.resolve("b").toString());
    assertThat(noTokens.exitCode()).as(noTokens.toString()).isNotZero();
    assertThat(noTokens.err())
        .contains("--mode production needs API tokens: set OFFLOAD_API_TOKENS");
  }

  @Test
  void serve_on_a_postgresql_that_refuses_says_what_is_missing_and_what_to_run() throws Exception {
    TestPostgres.dropSchema(
        TestPostgres.freshSchemaUrl()); // skips (or fails in CI) when PostgreSQL is not there
    String noRole =
        "jdbc:postgresql://127.0.0.1:5432/test?user=offload_no_such_role&password=hunter2";
    OffloadProcess.Result role = run("serve", "--port", "0", "--database-url", noRole);
    assertThat(role.exitCode()).as(role.toString()).isNotZero();
    assertThat(role.err())
        .as(role.toString())
        .contains(
            "cannot connect to PostgreSQL at jdbc:postgresql://127.0.0.1:5432/test?user=offload_no_such_role&password=***: "
                + "the role offload_no_such_role does not exist")
        .contains("CREATE ROLE offload_no_such_role LOGIN")
        .doesNotContain("hunter2");

    String noDatabase = "jdbc:postgresql://127.0.0.1:5432/offload_no_such_db?user=root";
    OffloadProcess.Result database = run("serve", "--port", "0", "--database-url", noDatabase);
    assertThat(database.exitCode()).as(database.toString()).isNotZero();
    assertThat(database.err())
        .as(database.toString())
        .contains(
            "cannot connect to PostgreSQL at "
                + noDatabase
                + ": the database offload_no_such_db does not exist")
        .contains("createdb --owner root offload_no_such_db");

    String nobody =
        "jdbc:postgresql://127.0.0.1:" + OffloadProcess.freePort() + "/offload?user=offload";
    OffloadProcess.Result closed = run("serve", "--port", "0", "--database-url", nobody);
    assertThat(closed.exitCode()).as(closed.toString()).isNotZero();
    assertThat(closed.err())
        .as(closed.toString())
        .contains("cannot connect to PostgreSQL at " + nobody + ": nothing accepted the connection")
        .contains("is PostgreSQL running?");
  }

  @Test
  void serve_refuses_a_retention_that_is_not_forever_or_a_duration_from_a_minute_to_ten_years()
      throws Exception {
    OffloadProcess.Result refused =
        run(
            "serve",
            "--port",
            "0",
            "--data-dir",
            workDir.resolve("r").toString(),
            "--retain-succeeded",
            "30s");
    assertThat(refused.exitCode()).as(refused.toString()).isNotZero();
    assertThat(refused.err())
        .contains("--retain-succeeded", "'30s' must be \"forever\" or a duration from 1m to 3650d");
    OffloadProcess.Result fromEnvironment =
        OffloadProcess.run(
            workDir,
            COMMAND_TIMEOUT,
            Map.of("OFFLOAD_RETAIN_FAILED", "never"),
            "serve",
            "--port",
            "0",
            "--data-dir",
            workDir.resolve("r").toString());
    assertThat(fromEnvironment.exitCode()).as(fromEnvironment.toString()).isNotZero();
    assertThat(fromEnvironment.err()).contains("--retain-failed", "'never'");
  }

  @Test
  void commands_send_the_token_from_the_option_or_OFFLOAD_TOKEN_to_a_production_server()
      throws Exception {
    String token = "tok_cli_0123456789abcdef";
    int port = OffloadProcess.freePort();
    OffloadProcess serve =
        OffloadProcess.start(
            "serve-production",
            workDir,
            Map.of(
                "OFFLOAD_API_TOKENS",
                token,
                "OFFLOAD_MODE",
                "production",
                "OFFLOAD_ALLOW_TARGET",
                "127.0.0.1/32"),
            "serve",
            "--port",
            Integer.toString(port),
            "--data-dir",
            workDir.resolve("prod").toString());
    processes.add(serve);
    serve.onPort(port).awaitUp("/healthz");
    String url = serve.url("");

    OffloadProcess.Result refused =
        run("enqueue", "--url", target.url("/cli-token"), "--server", url);
    assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(1);
    assertThat(refused.err()).contains("\"status\":401");

    OffloadProcess.Result enqueued =
        run("enqueue", "--url", target.url("/cli-token"), "--server", url, "--token", token);
    assertThat(enqueued.exitCode()).as(enqueued.toString()).isZero();
    String taskId = JSON.readTree(enqueued.out()).path("taskId").asText();

    OffloadProcess.Result status =
        OffloadProcess.run(
            workDir,
            COMMAND_TIMEOUT,
            Map.of("OFFLOAD_TOKEN", token),
            "status",
            taskId,
            "--wait",
            "10s",
            "--server",
            url);
    assertThat(status.exitCode()).as(status.toString()).isZero();
    assertThat(JSON.readTree(status.out()).path("status").asText()).isEqualTo("succeeded");
    assertThat(serve.log()).doesNotContain(token);
  }

  @Test
  void help_and_version_answer_for_the_command_and_every_subcommand() throws Exception {
    OffloadProcess.Result help = run("help");
    assertThat(help.exitCode()).as(help.toString()).isZero();
    assertThat(help.out())
        .as(help.toString())
        .contains("serve", "enqueue", "status", "tasks", "schedules", "queues");

    OffloadProcess.Result statusHelp = run("help", "status");
    assertThat(statusHelp.exitCode()).as(statusHelp.toString()).isZero();
    assertThat(statusHelp.out())
        .as(statusHelp.toString())
        .contains(
            "Exit codes:",
            "3   the task failed",
            "4   the task was cancelled",
            "5   --wait ran out");

    for (String command : List.of("serve", "status", "tasks", "queues")) {
      OffloadProcess.Result version = run(command, "--version");
      assertThat(version.exitCode()).as(version.toString()).isZero();
      assertThat(version.out())
          .as(version.toString())
          .isEqualTo("offload " + Version.current() + "\n");
    }
  }

  @Test
  void status_exits_with_a_code_of_its_own_for_failed_cancelled_and_a_wait_that_ran_out()
      throws Exception {
    target.on("/refuses", TestTarget.Reply.status(422));
    String failed =
        server.createTask("{\"callbackUrl\":\"" + target.url("/refuses") + "\",\"retries\":0}");
    String cancelled =
        server.createTask("{\"callbackUrl\":\"" + target.url("/later") + "\",\"delay\":\"1h\"}");
    String waiting = server.createTask("{\"name\":\"nobody-runs-this\"}");
    server.awaitFinished(failed);

    OffloadProcess.Result failedStatus = run("status", failed, "--server", server.url(""));
    assertThat(failedStatus.exitCode()).as(failedStatus.toString()).isEqualTo(3);
    assertThat(JSON.readTree(failedStatus.out()).path("status").asText()).isEqualTo("failed");

    OffloadProcess.Result cancel = run("tasks", "cancel", cancelled, "--server", server.url(""));
    assertThat(cancel.exitCode()).as(cancel.toString()).isZero();
    OffloadProcess.Result cancelledStatus =
        run("status", cancelled, "--wait", "5s", "--server", server.url(""));
    assertThat(cancelledStatus.exitCode()).as(cancelledStatus.toString()).isEqualTo(4);

    OffloadProcess.Result notWaited = run("status", waiting, "--server", server.url(""));
    assertThat(notWaited.exitCode()).as("a look without --wait: " + notWaited).isZero();
    OffloadProcess.Result ranOut =
        run("status", waiting, "--wait", "1s", "--server", server.url(""));
    assertThat(ranOut.exitCode()).as(ranOut.toString()).isEqualTo(5);
    assertThat(JSON.readTree(ranOut.out()).path("status").asText()).isEqualTo("queued");
  }

  @Test
  void status_waits_past_the_servers_60_second_long_poll_by_polling_again() throws Exception {
    String waiting = server.createTask("{\"name\":\"nobody-runs-this-either\"}");
    long start = System.nanoTime();

    OffloadProcess.Result status =
        OffloadProcess.run(
            workDir,
            Duration.ofSeconds(100),
            "status",
            waiting,
            "--wait",
            "61s",
            "--server",
            server.url(""));

    assertThat(status.exitCode()).as(status.toString()).isEqualTo(5);
    assertThat(status.err()).as(status.toString()).isEmpty();
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .isGreaterThanOrEqualTo(Duration.ofSeconds(61));
  }

  @Test
  void tasks_list_get_attempts_cancel_and_retry_from_the_command_line() throws Exception {
    target.on("/broken", TestTarget.Reply.status(400));
    String broken =
        server.createTask(
            "{\"callbackUrl\":\""
                + target.url("/broken")
                + "\",\"retries\":0,\"queue\":\"cli-tasks\"}");
    server.awaitFinished(broken);

    OffloadProcess.Result list =
        run("tasks", "list", "--queue", "cli-tasks", "--server", server.url(""));
    assertThat(list.exitCode()).as(list.toString()).isZero();
    List<String> lines = list.out().lines().toList();
    assertThat(lines.getFirst())
        .as(list.toString())
        .startsWith("TASK")
        .contains("STATUS", "QUEUE", "TARGET", "ATTEMPTS", "LAST ERROR");
    assertThat(lines.get(1))
        .as(list.toString())
        .startsWith(broken)
        .contains("failed", "cli-tasks", target.url("/broken"), "1/1", "HTTP 400");

    OffloadProcess.Result json =
        run(
            "tasks",
            "list",
            "--status",
            "failed",
            "--queue",
            "cli-tasks",
            "--json",
            "--server",
            server.url(""));
    assertThat(JSON.readTree(json.out()).path("tasks").get(0).path("taskId").asText())
        .as(json.toString())
        .isEqualTo(broken);

    OffloadProcess.Result attempts = run("tasks", "attempts", broken, "--server", server.url(""));
    assertThat(attempts.exitCode()).as(attempts.toString()).isZero();
    assertThat(attempts.out().lines().toList().get(1).strip())
        .as(attempts.toString())
        .startsWith("1 ")
        .contains("http_error", "400");

    OffloadProcess.Result retry = run("tasks", "retry", broken, "--server", server.url(""));
    assertThat(retry.exitCode()).as(retry.toString()).isZero();
    assertThat(JSON.readTree(retry.out()).path("status").asText()).isEqualTo("queued");
    server.awaitFinished(broken);
    OffloadProcess.Result get = run("tasks", "get", broken, "--server", server.url(""));
    assertThat(get.exitCode()).as(get.toString()).isZero();
    assertThat(JSON.readTree(get.out()).path("attempts").asInt()).isEqualTo(2);

    OffloadProcess.Result finishedCancel =
        run("tasks", "cancel", broken, "--server", server.url(""));
    assertThat(finishedCancel.exitCode()).as(finishedCancel.toString()).isEqualTo(1);
    assertThat(finishedCancel.err()).contains("409");
  }

  @Test
  void enqueue_takes_a_timeout_headers_and_a_worker_name() throws Exception {
    OffloadProcess.Result push =
        run(
            "enqueue",
            "--url",
            target.url("/with-headers"),
            "--timeout",
            "5s",
            "--header",
            "X-Trace: abc",
            "--header",
            "Authorization: Bearer 42",
            "--server",
            server.url(""));
    assertThat(push.exitCode()).as(push.toString()).isZero();
    String pushId = JSON.readTree(push.out()).path("taskId").asText();
    JsonNode pushTask = server.awaitFinished(pushId);
    assertThat(pushTask.path("timeout").asText()).isEqualTo("5s");
    TestTarget.Received call = target.received("/with-headers").getFirst();
    assertThat(call.header("X-Trace")).isEqualTo("abc");
    assertThat(call.header("Authorization")).isEqualTo("Bearer 42");

    OffloadProcess.Result pull =
        run(
            "enqueue",
            "--name",
            "send-email",
            "--data",
            "{\"to\":\"ada@example.com\"}",
            "--server",
            server.url(""));
    assertThat(pull.exitCode()).as(pull.toString()).isZero();
    JsonNode pullTask =
        server.get("/v1/tasks/" + JSON.readTree(pull.out()).path("taskId").asText()).body();
    assertThat(pullTask.path("name").asText()).isEqualTo("send-email");
    assertThat(pullTask.path("payload").path("to").asText()).isEqualTo("ada@example.com");

    OffloadProcess.Result both =
        run("enqueue", "--name", "x", "--url", target.url("/x"), "--server", server.url(""));
    assertThat(both.exitCode()).as(both.toString()).isEqualTo(2);
    assertThat(both.err()).contains("exactly one of --url (push) and --name (pull)");
    OffloadProcess.Result badHeader =
        run(
            "enqueue",
            "--url",
            target.url("/x"),
            "--header",
            "no-colon",
            "--server",
            server.url(""));
    assertThat(badHeader.exitCode()).as(badHeader.toString()).isEqualTo(2);
    assertThat(badHeader.err()).contains("--header must be 'Name: value'");
  }

  @Test
  void the_launcher_says_on_stderr_that_it_rebuilds_before_it_does() throws Exception {
    Path checkout = workDir.resolve("checkout");
    Path repository = Path.of("..").toAbsolutePath().normalize();
    Files.createDirectories(checkout.resolve("bin"));
    Files.createDirectories(checkout.resolve("offload-server/target"));
    Files.createDirectories(checkout.resolve("offload-server/src/main"));
    Files.copy(
        repository.resolve("offload"),
        checkout.resolve("offload"),
        java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
    Files.copy(repository.resolve("bin/find-jdk.sh"), checkout.resolve("bin/find-jdk.sh"));
    Files.copy(repository.resolve("bin/build-jar.sh"), checkout.resolve("bin/build-jar.sh"));
    Files.setLastModifiedTime(
        Files.writeString(checkout.resolve("pom.xml"), "<project/>"),
        java.nio.file.attribute.FileTime.from(java.time.Instant.now().minus(Duration.ofHours(2))));
    Path jar =
        Files.copy(OffloadProcess.JAR, checkout.resolve("offload-server/target/offload.jar"));
    Files.writeString(checkout.resolve("offload-server/src/main/Changed.java"), "class Changed {}");
    Files.setLastModifiedTime(
        jar,
        java.nio.file.attribute.FileTime.from(java.time.Instant.now().minus(Duration.ofHours(1))));
    // Maven itself is not what is tested: this one only marks the jar as rebuilt and says it ran.
    Path fakeMaven = Files.createDirectories(workDir.resolve("fake-maven")).resolve("mvn");
    Files.writeString(
        fakeMaven,
        "#!/bin/sh\necho built >> \""
            + workDir.resolve("mvn-ran")
            + "\"\ntouch offload-server/target/offload.jar\n");
    fakeMaven.toFile().setExecutable(true);
    Map<String, String> env =
        Map.of(
            "PATH",
            fakeMaven.getParent() + ":" + System.getenv("PATH"),
            "JAVA_HOME",
            System.getProperty("java.home"));

    OffloadProcess.Result rebuilt = launch(checkout, env);
    assertThat(rebuilt.exitCode()).as(rebuilt.toString()).isZero();
    assertThat(rebuilt.err())
        .as(rebuilt.toString())
        .startsWith(
            "offload: offload-server/src/main/Changed.java changed since the jar was built: building "
                + checkout.resolve("offload-server/target/offload.jar")
                + " first");
    assertThat(rebuilt.out()).isEqualTo("offload " + Version.current() + "\n");
    assertThat(Files.readAllLines(workDir.resolve("mvn-ran"))).containsExactly("built");

    OffloadProcess.Result upToDate = launch(checkout, env);
    assertThat(upToDate.err()).as(upToDate.toString()).isEmpty();
    assertThat(Files.readAllLines(workDir.resolve("mvn-ran")))
        .as("no second build")
        .containsExactly("built");
  }

  private static OffloadProcess.Result launch(Path checkout, Map<String, String> env)
      throws Exception {
    ProcessBuilder builder =
        new ProcessBuilder(checkout.resolve("offload").toString(), "--version")
            .directory(checkout.toFile());
    builder.environment().putAll(env);
    Path out = Files.createTempFile(checkout, "launch-", ".out");
    Path err = Files.createTempFile(checkout, "launch-", ".err");
    Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    assertThat(process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS))
        .as("./offload ended")
        .isTrue();
    return new OffloadProcess.Result(
        process.exitValue(), Files.readString(out), Files.readString(err));
  }

  private OffloadProcess.Result run(String... args) throws Exception {
    return OffloadProcess.run(workDir, COMMAND_TIMEOUT, args);
  }
}
