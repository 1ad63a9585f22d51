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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.junit.jupiter.api.io.TempDir;

/** {@code offload serve --schedules} and {@code offload schedules …}, run from the shaded jar. */
class ScheduleCliIT {
  private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path workDir;
  private final List<OffloadProcess> processes = new ArrayList<>();
  private final List<AutoCloseable> closeables = new ArrayList<>();

  @RegisterExtension
  final TestExecutionExceptionHandler printServerOutput =
      (context, failure) -> {
        processes.forEach(OffloadProcess::printLog);
        throw failure;
      };

  @AfterEach
  void stop() throws Exception {
    processes.forEach(OffloadProcess::close);
    for (AutoCloseable c : closeables) c.close();
  }

  private OffloadProcess serve(String name, int port, Path file) throws Exception {
    OffloadProcess serve =
        OffloadProcess.serve(
            name, workDir, port, workDir.resolve("data"), "--schedules", file.toString());
    processes.add(serve);
    return serve.awaitUp("/healthz");
  }

  @Test
  void serve_declares_the_schedules_of_its_file_and_a_restart_with_the_same_file_changes_nothing()
      throws Exception {
    Path file = workDir.resolve("schedules.yaml");
    Files.writeString(
        file,
        """
        nightly-export:
          cron: "0 3 * * *"
          timezone: Europe/Berlin
          task:
            callbackUrl: http://127.0.0.1:9/export
            payload: {format: csv}
        """);
    int port = OffloadProcess.freePort();
    OffloadProcess first = serve("first", port, file);
    JsonNode before = first.get("/v1/schedules/nightly-export").body();
    assertThat(before.path("timezone").asText()).isEqualTo("Europe/Berlin");
    assertThat(before.path("task").path("payload").path("format").asText()).isEqualTo("csv");
    assertThat(first.terminate(Duration.ofSeconds(20))).isTrue();

    OffloadProcess second = serve("second", port, file);
    OffloadProcess.Result list = run("schedules", "list", "--json", "--server", second.url(""));

    assertThat(list.exitCode()).as(list.toString()).isZero();
    JsonNode after = JSON.readTree(list.out()).path("schedules").get(0);
    assertThat(after.path("name").asText()).isEqualTo("nightly-export");
    assertThat(after.path("updatedAt")).isEqualTo(before.path("updatedAt"));
  }

  @Test
  void serve_refuses_an_invalid_schedules_file_and_says_where() throws Exception {
    Path file = workDir.resolve("schedules.yaml");
    Files.writeString(
        file, "broken:\n  cron: \"0 0 31 2 *\"\n  task: {callbackUrl: http://127.0.0.1:9/x}\n");
    OffloadProcess.Result serve =
        OffloadProcess.run(
            workDir,
            COMMAND_TIMEOUT,
            "serve",
            "--port",
            "0",
            "--data-dir",
            workDir.resolve("data").toString(),
            "--schedules",
            file.toString());
    assertThat(serve.exitCode()).as(serve.toString()).isNotZero();
    assertThat(serve.err()).as(serve.toString()).contains("broken.cron: never matches a date");
  }

  @Test
  void schedules_put_trigger_and_delete_from_the_command_line() throws Exception {
    RunningServer server = new RunningServer(workDir.resolve("server"));
    TestTarget target = new TestTarget();
    closeables.add(server);
    closeables.add(target);
    target.on("/sync", TestTarget.Reply.ok("{}"));

    OffloadProcess.Result help = run("schedules", "--help");
    assertThat(help.out())
        .as(help.toString())
        .contains("list", "put", "delete", "trigger", "pause", "resume");
    OffloadProcess.Result put =
        run(
            "schedules",
            "put",
            "sync",
            "--cron",
            "@daily",
            "--url",
            target.url("/sync"),
            "--data",
            "{\"full\":true}",
            "--timezone",
            "America/New_York",
            "--server",
            server.url(""));
    assertThat(put.exitCode()).as(put.toString()).isZero();
    assertThat(JSON.readTree(put.out()).path("timezone").asText()).isEqualTo("America/New_York");

    assertThat(run("schedules", "pause", "sync", "--server", server.url("")).exitCode()).isZero();
    OffloadProcess.Result table = run("schedules", "list", "--server", server.url(""));
    assertThat(table.exitCode()).as(table.toString()).isZero();
    List<String> lines = table.out().lines().toList();
    assertThat(lines.getFirst())
        .as(table.toString())
        .startsWith("SCHEDULE")
        .contains("CRON", "TIMEZONE", "STATE", "NEXT RUN", "LAST RUN", "TARGET");
    assertThat(lines.get(1).split(" +"))
        .as(table.toString())
        .containsExactly(
            "sync", "@daily", "America/New_York", "paused", "-", "-", "-", target.url("/sync"));

    OffloadProcess.Result trigger = run("schedules", "trigger", "sync", "--server", server.url(""));
    assertThat(trigger.exitCode()).as(trigger.toString()).isZero();
    await().atMost(Duration.ofSeconds(15)).until(() -> !target.received("/sync").isEmpty());
    assertThat(target.received("/sync").getFirst().body()).isEqualTo("{\"full\":true}");

    assertThat(run("schedules", "delete", "sync", "--server", server.url("")).exitCode()).isZero();
    OffloadProcess.Result again = run("schedules", "delete", "sync", "--server", server.url(""));
    assertThat(again.exitCode()).isNotZero();
    assertThat(again.err()).contains("404", "no schedule sync");
  }

  private OffloadProcess.Result run(String... args) throws Exception {
    return OffloadProcess.run(workDir, COMMAND_TIMEOUT, args);
  }
}
