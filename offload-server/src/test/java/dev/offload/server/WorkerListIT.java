package dev.offload.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.offload.client.OffloadClient;
import dev.offload.client.TaskRequest;
import dev.offload.client.TaskStatus;
import dev.offload.client.worker.OffloadWorker;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /v1/workers} (README: Pull workers) on the real server: who asked for work, for what,
 * and what each holds.
 */
class WorkerListIT {
  private static final Duration AWAIT = Duration.ofSeconds(30);

  private static JsonNode worker(RunningServer server, String workerId) {
    RunningServer.Answer answer = server.get("/v1/workers");
    assertThat(answer.status()).as(answer.text()).isEqualTo(200);
    return StreamSupport.stream(answer.body().path("workers").spliterator(), false)
        .filter(w -> w.path("workerId").asText().equals(workerId))
        .findFirst()
        .orElse(null);
  }

  private static String selfNode(RunningServer server) {
    for (JsonNode node : server.get("/v1/nodes").body().path("nodes"))
      if (node.path("self").asBoolean()) return node.path("id").asText();
    throw new AssertionError("no node says it is this one");
  }

  private static List<String> texts(JsonNode array) {
    return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
  }

  @Test
  void a_java_worker_shows_with_what_it_asks_for_and_the_task_it_holds_until_it_finishes(
      @TempDir Path dataDir) throws Exception {
    try (RunningServer server = new RunningServer(dataDir);
        OffloadClient client =
            OffloadClient.builder().baseUrl(server.url("")).httpClient(server.http()).build()) {
      CountDownLatch started = new CountDownLatch(1);
      CountDownLatch finish = new CountDownLatch(1);
      String id =
          client
              .tasks()
              .create(TaskRequest.builder().name("render-pdf").queue("reports").build())
              .taskId();
      Instant before = Instant.now();
      try (OffloadWorker running =
          OffloadWorker.builder(client)
              .workerId("pdf-worker-1")
              .queues("reports")
              .waitFor(Duration.ofSeconds(1))
              .build()
              .handle(
                  "render-pdf",
                  JsonNode.class,
                  (task, payload) -> {
                    started.countDown();
                    return finish.await(30, TimeUnit.SECONDS) ? "rendered" : null;
                  })
              .start()) {
        assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();

        JsonNode worker = worker(server, "pdf-worker-1");
        assertThat(worker).as("listed at once by the node it asked").isNotNull();
        assertThat(worker.path("node").asText()).isEqualTo(selfNode(server));
        assertThat(texts(worker.path("names"))).containsExactly("render-pdf");
        assertThat(texts(worker.path("queues"))).containsExactly("reports");
        assertThat(Instant.parse(worker.path("lastSeenAt").asText()))
            .isAfterOrEqualTo(before.minusSeconds(1));
        assertThat(worker.path("holding").asInt()).isEqualTo(1);
        assertThat(worker.path("held")).hasSize(1);
        assertThat(worker.path("held").get(0).path("taskId").asText()).isEqualTo(id);
        assertThat(worker.path("held").get(0).path("name").asText()).isEqualTo("render-pdf");

        finish.countDown();
        assertThat(client.tasks().await(id, AWAIT).status()).isEqualTo(TaskStatus.SUCCEEDED);
        await()
            .atMost(AWAIT)
            .until(() -> worker(server, "pdf-worker-1").path("holding").asInt() == 0);
        assertThat(worker(server, "pdf-worker-1").path("held")).isEmpty();
      }
    }
  }

  @Test
  void a_worker_that_got_nothing_is_listed_and_stays_listed_after_a_restart(@TempDir Path dataDir) {
    String node;
    try (RunningServer server = new RunningServer(dataDir)) {
      RunningServer.Answer lease =
          server.post(
              "/v1/workers/lease",
              "{\"workerId\":\"idle-1\",\"names\":[\"nothing-here\"],\"wait\":\"0s\"}");
      assertThat(lease.body().path("tasks")).isEmpty();
      node = selfNode(server);
      JsonNode idle = worker(server, "idle-1");
      assertThat(idle.path("holding").asInt()).isZero();
      assertThat(texts(idle.path("names"))).containsExactly("nothing-here");
      assertThat(idle.path("queues")).as("empty: any queue").isEmpty();
    }
    try (RunningServer restarted = new RunningServer(dataDir)) {
      JsonNode idle = worker(restarted, "idle-1");
      assertThat(idle).as("saved to the store").isNotNull();
      assertThat(idle.path("node").asText())
          .as("the node it asked")
          .isEqualTo(node)
          .isNotEqualTo(selfNode(restarted));
    }
  }
}
