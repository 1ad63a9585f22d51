package dev.offload.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.offload.server.TestTarget.Reply;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The long-work protocol on the default store, SQLite, and the state size limit. */
class ContinuationIT extends ContinuationChecks {

  @Test
  void a_state_over_max_payload_fails_the_task_saying_so(@TempDir Path dataDir) {
    try (RunningServer small =
        new RunningServer(dataDir, config -> config.toBuilder().maxPayloadBytes(1_000).build())) {
      String path = path("big-state");
      target.on(path, continuing("", "{\"rows\":\"" + "r".repeat(2_000) + "\"}"));

      JsonNode task =
          small.awaitFinished(small.createTask(json("{'callbackUrl':'%s'}", target.url(path))));

      assertThat(task.path("status").asText()).isEqualTo("failed");
      assertThat(task.path("lastError").asText())
          .contains("2011 bytes; the limit is 1000 (--max-payload)");
      assertThat(task.path("continuations").asInt()).isZero();
    }
  }

  @Test
  void callback_urls_name_the_public_url_when_one_is_set(@TempDir Path dataDir) {
    try (RunningServer behindProxy =
        new RunningServer(
            dataDir, config -> config.withPublicUrl("https://offload.example.com/"))) {
      String path = path("public");
      target.on(path, Reply.ok("{}"));

      behindProxy.awaitFinished(
          behindProxy.createTask(json("{'callbackUrl':'%s'}", target.url(path))));

      assertThat(target.received(path).getFirst().header("Offload-Callback-Url"))
          .startsWith("https://offload.example.com/v1/callbacks/tsk_");
    }
  }
}
