package dev.offload.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.offload.client.OffloadClient;
import dev.offload.client.TaskRequest;
import dev.offload.client.TaskStatus;
import dev.offload.client.TaskView;
import dev.offload.client.worker.OffloadWorker;
import dev.offload.examples.PushExample;
import dev.offload.examples.WorkerExample;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The examples of offload-examples run against the real server, and the README quotes them as they are. */
class ExamplesIT {
  private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  private static final Path EXAMPLES = Path.of("../offload-examples/src/main/java/dev/offload/examples");
  private static final Duration AWAIT = Duration.ofSeconds(30);

  @Test
  void the_push_example_offloads_a_report_and_its_target_accepts_only_signed_calls(@TempDir Path dataDir) throws IOException {
    try (RunningServer server = new RunningServer(dataDir, c -> c.withSigningSecrets(List.of(SECRET)));
        OffloadClient client = OffloadClient.builder().baseUrl(server.url("")).build();
        PushExample app = new PushExample(server.url(""), SECRET, 0)) {
      RunningServer.Answer accepted = server.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(app.url("/reports")))
          .POST(java.net.http.HttpRequest.BodyPublishers.ofString("acme")));
      assertThat(accepted.status()).isEqualTo(202);

      TaskView done = client.tasks().await(accepted.body().get("taskId").asText(), AWAIT);

      assertThat(done.status()).isEqualTo(TaskStatus.SUCCEEDED);
      assertThat(done.result().body().path("pdf").asText()).isEqualTo("done");
      RunningServer.Answer forged = server.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(app.url("/jobs/render-report")))
          .header("webhook-id", "x").header("webhook-timestamp", Long.toString(System.currentTimeMillis() / 1000))
          .header("webhook-signature", "v1,AAAA").POST(java.net.http.HttpRequest.BodyPublishers.ofString("{}")));
      assertThat(forged.status()).isEqualTo(401);
    }
  }

  @Test
  void the_worker_example_sends_emails_and_fails_a_bad_address_at_once(@TempDir Path dataDir) {
    try (RunningServer server = new RunningServer(dataDir);
        OffloadClient client = OffloadClient.builder().baseUrl(server.url("")).build();
        OffloadWorker worker = WorkerExample.startWorker(client)) {
      String good = client.tasks().create(TaskRequest.builder().name("send-email")
          .payload(new WorkerExample.Email("ada@example.com", "Welcome")).build()).taskId();
      String bad = client.tasks().create(TaskRequest.builder().name("send-email")
          .payload(new WorkerExample.Email("nobody", "Welcome")).retries(3).build()).taskId();

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
  void the_readme_quotes_the_example_sources_as_they_are() throws IOException {
    String readme = Files.readString(Path.of("../README.md"));
    assertThat(readme).contains(region("PushExample.java", "push")).contains(region("WorkerExample.java", "worker"));
  }

  /** The lines between {@code // readme:NAME-start} and {@code // readme:NAME-end}, unindented by two. */
  private static String region(String file, String name) throws IOException {
    List<String> lines = Files.readAllLines(EXAMPLES.resolve(file));
    int start = lines.indexOf("  // readme:" + name + "-start");
    int end = lines.indexOf("  // readme:" + name + "-end");
    assertThat(start).as("region %s in %s", name, file).isNotNegative().isLessThan(end);
    try (Stream<String> region = lines.subList(start + 1, end).stream()) {
      return region.map(line -> line.startsWith("  ") ? line.substring(2) : line).collect(Collectors.joining("\n"));
    }
  }
}
