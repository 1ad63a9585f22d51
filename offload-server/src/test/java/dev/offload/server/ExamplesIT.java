package dev.offload.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.offload.client.OffloadClient;
import dev.offload.client.TaskRequest;
import dev.offload.client.TaskStatus;
import dev.offload.client.TaskView;
import dev.offload.client.worker.OffloadWorker;
import dev.offload.examples.PushExample;
import dev.offload.examples.WorkerExample;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The examples of offload-examples run against the real server, and the README quotes them as they
 * are.
 */
class ExamplesIT {
  private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  private static final Path EXAMPLES =
      Path.of("../offload-examples/src/main/java/dev/offload/examples");

  /** The engine embedded without the server; {@code EmbeddedEngineIT} runs it. */
  private static final Path EMBEDDED =
      Path.of("../offload-core/src/test/java/dev/offload/engine/EmbeddedEngineIT.java");

  private static final Duration AWAIT = Duration.ofSeconds(30);

  @Test
  void the_push_example_offloads_a_report_and_its_target_accepts_only_signed_calls(
      @TempDir Path dataDir) throws IOException {
    try (RunningServer server =
            new RunningServer(dataDir, c -> c.withSigningSecrets(List.of(SECRET)));
        OffloadClient client =
            OffloadClient.builder().baseUrl(server.url("")).httpClient(server.http()).build();
        PushExample app = new PushExample(server.url(""), List.of(SECRET), 0)) {
      RunningServer.Answer accepted =
          server.send(
              java.net.http.HttpRequest.newBuilder(java.net.URI.create(app.url("/reports")))
                  .POST(java.net.http.HttpRequest.BodyPublishers.ofString("acme")));
      assertThat(accepted.status()).isEqualTo(202);

      TaskView done = client.tasks().await(accepted.body().get("taskId").asText(), AWAIT);

      assertThat(done.status()).isEqualTo(TaskStatus.SUCCEEDED);
      assertThat(done.result().body().path("pdf").asText()).isEqualTo("done");
      RunningServer.Answer forged =
          server.send(
              java.net.http.HttpRequest.newBuilder(
                      java.net.URI.create(app.url("/jobs/render-report")))
                  .header("webhook-id", "x")
                  .header("webhook-timestamp", Long.toString(System.currentTimeMillis() / 1000))
                  .header("webhook-signature", "v1,AAAA")
                  .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{}")));
      assertThat(forged.status()).isEqualTo(401);
    }
  }

  @Test
  void the_worker_example_sends_emails_and_fails_a_bad_address_at_once(@TempDir Path dataDir) {
    try (RunningServer server = new RunningServer(dataDir);
        OffloadClient client =
            OffloadClient.builder().baseUrl(server.url("")).httpClient(server.http()).build();
        OffloadWorker worker = WorkerExample.startWorker(client)) {
      String good =
          client
              .tasks()
              .create(
                  TaskRequest.builder()
                      .name("send-email")
                      .payload(new WorkerExample.Email("ada@example.com", "Welcome"))
                      .build())
              .taskId();
      String bad =
          client
              .tasks()
              .create(
                  TaskRequest.builder()
                      .name("send-email")
                      .payload(new WorkerExample.Email("nobody", "Welcome"))
                      .retries(3)
                      .build())
              .taskId();

      TaskView sent = client.tasks().await(good, AWAIT);
      TaskView failed = client.tasks().await(bad, AWAIT);

      assertThat(sent.status()).isEqualTo(TaskStatus.SUCCEEDED);
      assertThat(sent.result().body().path("sentTo").asText()).isEqualTo("ada@example.com");
      assertThat(sent.progress().path("step").asText()).isEqualTo("sent");
      assertThat(failed.status()).isEqualTo(TaskStatus.FAILED);
      assertThat(failed.attempts()).isEqualTo(1);
    }
  }

  @Test
  void the_worker_example_runs_from_its_script_until_it_is_stopped(@TempDir Path dir)
      throws Exception {
    try (RunningServer server = new RunningServer(dir.resolve("data"));
        OffloadClient client =
            OffloadClient.builder().baseUrl(server.url("")).httpClient(server.http()).build();
        Launched worker =
            Launched.start(
                dir,
                "worker",
                Map.of("OFFLOAD_URL", server.url("")),
                "../offload-examples/run",
                "WorkerExample")) {
      worker.awaitOutput("running send-email tasks");
      String sent =
          client
              .tasks()
              .create(
                  TaskRequest.builder()
                      .name("send-email")
                      .payload(new WorkerExample.Email("ada@example.com", "Welcome"))
                      .build())
              .taskId();

      assertThat(client.tasks().await(sent, AWAIT).status()).isEqualTo(TaskStatus.SUCCEEDED);
      assertThat(worker.process.isAlive())
          .as("the worker keeps running after its main thread started it:\n" + worker.output())
          .isTrue();

      worker.process.destroy(); // SIGTERM, as Ctrl-C or a process manager stops it
      assertThat(worker.process.waitFor(40, TimeUnit.SECONDS))
          .as("stopped by SIGTERM:\n" + worker.output())
          .isTrue();
    }
  }

  @Test
  void the_push_example_runs_from_its_script_against_a_server_with_the_same_secret(
      @TempDir Path dir) throws Exception {
    int offloadPort = OffloadProcess.freePort();
    int appPort = OffloadProcess.freePort();
    try (OffloadProcess offload = serveSigning(dir, offloadPort);
        Launched app =
            Launched.start(
                dir,
                "push",
                Map.of(
                    "OFFLOAD_SIGNING_SECRETS",
                    SECRET,
                    "OFFLOAD_URL",
                    "http://127.0.0.1:" + offloadPort),
                "../offload-examples/run",
                "PushExample",
                Integer.toString(appPort))) {
      app.awaitOutput("POST http://127.0.0.1:" + appPort + "/reports");

      RunningServer.Answer accepted =
          offload.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + appPort + "/reports"))
                  .POST(HttpRequest.BodyPublishers.ofString("acme")));
      assertThat(accepted.status()).as(app.output()).isEqualTo(202);

      try (OffloadClient client =
          OffloadClient.builder().baseUrl(offload.url("")).httpClient(offload.http()).build()) {
        TaskView done = client.tasks().await(accepted.body().get("taskId").asText(), AWAIT);
        assertThat(done.status()).as(offload.log()).isEqualTo(TaskStatus.SUCCEEDED);
      }
    }
  }

  @Test
  void the_push_example_without_a_secret_says_what_to_set(@TempDir Path dir) throws Exception {
    try (Launched app =
        Launched.start(dir, "no-secret", Map.of(), "../offload-examples/run", "PushExample", "0")) {
      assertThat(app.process.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(app.process.exitValue()).isEqualTo(2);
      assertThat(app.output())
          .contains("set OFFLOAD_SIGNING_SECRETS to the secret the server signs with")
          .doesNotContain("Exception");
    }
  }

  @Test
  void the_javascript_example_runs_as_the_readme_says_against_a_server_with_the_same_secret(
      @TempDir Path dir) throws Exception {
    assumeTrue(
        Files.isExecutable(Path.of("/usr/bin/node")) || System.getenv("CI") != null,
        "node is not installed");
    int offloadPort = OffloadProcess.freePort();
    int appPort = OffloadProcess.freePort();
    try (OffloadProcess offload = serveSigning(dir, offloadPort);
        Launched app =
            Launched.start(
                dir,
                "js",
                Map.of(
                    "OFFLOAD_SIGNING_SECRETS",
                    SECRET,
                    "PORT",
                    Integer.toString(appPort),
                    "OFFLOAD_URL",
                    "http://127.0.0.1:" + offloadPort),
                "node",
                "../clients/js/examples/server.js")) {
      app.awaitOutput("examples on http://127.0.0.1:" + appPort);

      RunningServer.Answer accepted =
          offload.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + appPort + "/api/render"))
                  .POST(HttpRequest.BodyPublishers.ofString("{\"invoiceId\":42}")));
      assertThat(accepted.status()).as(app.output()).isEqualTo(202);

      try (OffloadClient client =
          OffloadClient.builder().baseUrl(offload.url("")).httpClient(offload.http()).build()) {
        TaskView done = client.tasks().await(accepted.body().get("taskId").asText(), AWAIT);
        assertThat(done.status()).as(offload.log() + app.output()).isEqualTo(TaskStatus.SUCCEEDED);
        assertThat(done.result().body().path("invoiceId").asInt()).isEqualTo(42);
      }
    }
  }

  @Test
  void the_readme_quotes_the_example_sources_as_they_are() throws IOException {
    String readme = Files.readString(Path.of("../README.md"));
    assertThat(readme)
        .contains(region(EXAMPLES.resolve("PushExample.java"), "push"))
        .contains(region(EXAMPLES.resolve("WorkerExample.java"), "worker"))
        .contains(region(EMBEDDED, "embedded"));
  }

  /**
   * The lines between {@code // readme:NAME-start} and {@code // readme:NAME-end}, unindented by
   * two.
   */
  private static String region(Path file, String name) throws IOException {
    List<String> lines = Files.readAllLines(file);
    int start = lines.indexOf("  // readme:" + name + "-start");
    int end = lines.indexOf("  // readme:" + name + "-end");
    assertThat(start).as("region %s in %s", name, file).isNotNegative().isLessThan(end);
    try (Stream<String> region = lines.subList(start + 1, end).stream()) {
      return region
          .map(line -> line.startsWith("  ") ? line.substring(2) : line)
          .collect(Collectors.joining("\n"));
    }
  }

  /**
   * {@code offload serve} signing with {@link #SECRET}, up before the example that needs it starts.
   */
  private static OffloadProcess serveSigning(Path dir, int port) throws IOException {
    OffloadProcess offload =
        OffloadProcess.start(
            "serve",
            dir,
            Map.of("OFFLOAD_SIGNING_SECRETS", SECRET),
            "serve",
            "--port",
            Integer.toString(port),
            "--data-dir",
            dir.resolve("data").toString());
    try {
      return offload.onPort(port).awaitUp("/readyz");
    } catch (RuntimeException e) {
      offload.printLog();
      offload.close();
      throw e;
    }
  }

  /** A command of the README run from the module folder as a process, its output in a file. */
  private record Launched(Process process, Path log) implements AutoCloseable {
    static Launched start(Path dir, String name, Map<String, String> env, String... command)
        throws IOException {
      Path log = dir.resolve(name + ".log");
      ProcessBuilder builder =
          new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
      builder.environment().keySet().removeIf(key -> key.startsWith("OFFLOAD_"));
      builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
      builder.environment().putAll(env);
      return new Launched(builder.start(), log);
    }

    String output() {
      try {
        return Files.readString(log);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    void awaitOutput(String text) {
      await(text)
          .atMost(Duration.ofSeconds(90))
          .until(() -> output().contains(text) || !process.isAlive());
      assertThat(output()).contains(text);
    }

    @Override
    public void close() throws InterruptedException {
      process.destroy();
      if (!process.waitFor(40, TimeUnit.SECONDS)) process.destroyForcibly();
    }
  }
}
