package dev.offload.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.offload.server.TestTarget.Received;
import dev.offload.server.TestTarget.Reply;
import dev.offload.testing.TestPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Long tasks on two nodes sharing one PostgreSQL: callbacks on any node, chains across nodes. */
class ContinuationClusterIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  private String databaseUrl;
  private TestTarget target;
  private RunningServer a;
  private RunningServer b;

  @BeforeEach
  void start() {
    databaseUrl = TestPostgres.freshSchemaUrl();
    target = new TestTarget();
    a = new RunningServer(dir.resolve("a"), c -> c.withDatabaseUrl(databaseUrl));
    b = new RunningServer(dir.resolve("b"), c -> c.withDatabaseUrl(databaseUrl));
  }

  @AfterEach
  void stop() {
    if (a != null) a.close();
    if (b != null) b.close();
    if (target != null) target.close();
    if (databaseUrl != null) TestPostgres.dropSchema(databaseUrl);
  }

  @Test
  void a_callback_posted_to_the_other_node_wakes_the_waiting_task() {
    AtomicReference<String> callbackUrl = new AtomicReference<>();
    target.on(
        "/await",
        call -> {
          if (call.header("Offload-Continuation") != null) return Reply.ok(call.body());
          callbackUrl.set(call.header("Offload-Callback-Url"));
          return Reply.ok("{}").withHeader("Offload-Continue", "await=1h");
        });
    String id = a.createTask("{\"callbackUrl\":\"" + target.url("/await") + "\"}");
    LiveServerSupport.eventually()
        .until(() -> a.get("/v1/tasks/" + id).body().path("status").asText().equals("waiting"));

    String url = callbackUrl.get();
    boolean issuedByA = url.startsWith(a.url("/"));
    RunningServer other = issuedByA ? b : a;
    String onOther = other.url(url.substring(url.indexOf("/v1/callbacks/")));
    RunningServer.Answer posted =
        other.post(onOther.substring(onOther.indexOf("/v1/")), "{\"from\":\"the other node\"}");

    assertThat(posted.status()).as(posted.text()).isEqualTo(202);
    JsonNode task = a.awaitFinished(id);
    assertThat(task.path("status").asText()).isEqualTo("succeeded");
    assertThat(task.path("result").path("body").path("callback").path("body").path("from").asText())
        .isEqualTo("the other node");
    assertThat(other.post(onOther.substring(onOther.indexOf("/v1/")), "{}").status())
        .isEqualTo(410);
  }

  @Test
  void chains_run_across_both_nodes_with_every_step_once() {
    int steps = 15;
    target.on(
        "/chain",
        call -> {
          int n =
              call.header("Offload-Continuation") == null
                  ? 0
                  : parse(call.body()).path("state").path("n").asInt();
          return n < steps
              ? Reply.ok("{\"n\":" + (n + 1) + "}").withHeader("Offload-Continue", "")
              : Reply.ok("{}");
        });
    List<String> ids =
        List.of(
            a.createTask("{\"callbackUrl\":\"" + target.url("/chain") + "\"}"),
            b.createTask("{\"callbackUrl\":\"" + target.url("/chain") + "\"}"),
            a.createTask("{\"callbackUrl\":\"" + target.url("/chain") + "\"}"));

    for (String id : ids)
      assertThat(b.awaitFinished(id).path("status").asText()).isEqualTo("succeeded");

    Map<String, Long> callsPerStep =
        target.received("/chain").stream()
            .collect(
                Collectors.groupingBy(
                    (Received call) ->
                        call.header("Offload-Task-Id") + "#" + call.header("Offload-Continuation"),
                    Collectors.counting()));
    assertThat(callsPerStep).hasSize(ids.size() * (steps + 1));
    assertThat(callsPerStep.values()).allMatch(count -> count == 1);
  }

  private static JsonNode parse(String text) {
    try {
      return JSON.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
