package dev.offload.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.offload.server.TestTarget.Reply;
import dev.offload.testing.TestPostgres;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EventsIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration PATIENCE = Duration.ofSeconds(20);
  private static final List<String> RETRIED_ONCE =
      List.of(
          "task.created",
          "attempt.started",
          "attempt.finished",
          "attempt.started",
          "attempt.finished",
          "task.succeeded");

  @TempDir Path dir;
  private TestTarget target;
  private RunningServer server;

  @BeforeEach
  void start() {
    target = new TestTarget();
    server =
        new RunningServer(
            dir.resolve("a"), c -> c, new MonitoringConfig(Duration.ofMillis(200), 1_000));
  }

  @AfterEach
  void stop() {
    if (server != null) server.close();
    target.close();
  }

  private String retriedOnce(RunningServer on, String queue) {
    target.onSequence("/flaky-" + queue, Reply.status(503), Reply.ok("{\"done\":true}"));
    return on.createTask(
        """
        {"callbackUrl": "%s", "queue": "%s", "retries": 2, "backoff": {"type": "fixed", "initial": "100ms"}}"""
            .formatted(target.url("/flaky-" + queue), queue));
  }

  private static JsonNode data(SseClient.Event event) throws IOException {
    return JSON.readTree(event.data());
  }

  @Test
  void
      a_late_subscriber_sees_the_whole_history_of_a_task_in_order_and_the_stream_ends_after_its_final_event()
          throws IOException {
    String id = retriedOnce(server, "ev1");
    server.awaitFinished(id);

    try (SseClient stream = new SseClient(server.url("/v1/tasks/" + id + "/events"))) {
      await().atMost(PATIENCE).until(stream::hasEnded);

      assertThat(stream.status()).isEqualTo(200);
      assertThat(stream.names()).containsExactlyElementsOf(RETRIED_ONCE);
      assertThat(stream.events())
          .extracting(e -> Long.parseLong(e.id()))
          .isSorted()
          .doesNotHaveDuplicates();
      JsonNode firstFinish = data(stream.events().get(2));
      assertThat(firstFinish.get("taskId").asText()).isEqualTo(id);
      assertThat(firstFinish.get("queue").asText()).isEqualTo("ev1");
      assertThat(firstFinish.get("attempt").asInt()).isEqualTo(1);
      assertThat(firstFinish.get("outcome").asText()).isEqualTo("http_error");
      assertThat(data(stream.events().get(4)).get("outcome").asText()).isEqualTo("succeeded");
      assertThat(data(stream.events().get(5)).get("task").get("status").asText())
          .isEqualTo("succeeded");
      assertThat(data(stream.events().get(5)).get("eventId").asText())
          .isEqualTo(stream.events().get(5).id());
    }
  }

  @Test
  void a_live_subscriber_sees_the_events_as_they_happen_until_the_final_one() {
    target.on("/slow", Reply.ok("{}").holding(Duration.ofMillis(500)));
    String id = server.createTask("{\"callbackUrl\": \"" + target.url("/slow") + "\"}");

    try (SseClient stream = new SseClient(server.url("/v1/tasks/" + id + "/events"))) {
      await().atMost(PATIENCE).until(stream::hasEnded);
      assertThat(stream.names())
          .containsExactly("task.created", "attempt.started", "attempt.finished", "task.succeeded");
    }
  }

  @Test
  void resuming_with_last_event_id_gets_exactly_the_events_after_it() {
    String id = retriedOnce(server, "ev2");
    server.awaitFinished(id);
    List<SseClient.Event> all;
    try (SseClient stream = new SseClient(server.url("/v1/tasks/" + id + "/events"))) {
      await().atMost(PATIENCE).until(stream::hasEnded);
      all = stream.events();
    }

    try (SseClient header =
            new SseClient(
                server.url("/v1/tasks/" + id + "/events"), "Last-Event-ID", all.get(2).id());
        SseClient query =
            new SseClient(
                server.url("/v1/tasks/" + id + "/events?lastEventId=" + all.get(3).id()))) {
      await().atMost(PATIENCE).until(() -> header.hasEnded() && query.hasEnded());
      assertThat(header.events()).containsExactlyElementsOf(all.subList(3, all.size()));
      assertThat(query.events()).containsExactlyElementsOf(all.subList(4, all.size()));
    }
  }

  @Test
  void a_stream_of_a_finished_task_resumed_after_its_final_event_ends_at_once_not_after_a_heartbeat(
      @TempDir Path other) {
    try (RunningServer slowHeartbeats =
        new RunningServer(other, c -> c, new MonitoringConfig(Duration.ofSeconds(25), 1_000))) {
      String id = retriedOnce(slowHeartbeats, "ev-end");
      slowHeartbeats.awaitFinished(id);
      List<SseClient.Event> all;
      try (SseClient stream = new SseClient(slowHeartbeats.url("/v1/tasks/" + id + "/events"))) {
        await().atMost(PATIENCE).until(stream::hasEnded);
        all = stream.events();
      }
      try (SseClient resumed =
          new SseClient(
              slowHeartbeats.url("/v1/tasks/" + id + "/events"),
              "Last-Event-ID",
              all.getLast().id())) {
        await().atMost(Duration.ofSeconds(10)).until(resumed::hasEnded);
        assertThat(resumed.events()).isEmpty();
        assertThat(resumed.comments()).doesNotContain("heartbeat");
      }
    }
  }

  @Test
  void a_queue_stream_follows_new_events_of_that_queue_only_and_resumes_without_gaps()
      throws IOException {
    try (SseClient wanted = new SseClient(server.url("/v1/events?queue=ev-wanted"));
        SseClient everything = new SseClient(server.url("/v1/events"))) {
      String other = retriedOnce(server, "ev-other");
      String mine = retriedOnce(server, "ev-wanted");
      server.awaitFinished(other);
      server.awaitFinished(mine);

      await().atMost(PATIENCE).until(() -> wanted.names().size() >= RETRIED_ONCE.size());
      await().atMost(PATIENCE).until(() -> everything.names().size() >= 2 * RETRIED_ONCE.size());
      assertThat(wanted.names()).containsExactlyElementsOf(RETRIED_ONCE);
      for (SseClient.Event event : wanted.events()) {
        assertThat(data(event).get("taskId").asText()).isEqualTo(mine);
        assertThat(data(event).get("queue").asText()).isEqualTo("ev-wanted");
      }
      assertThat(everything.events())
          .extracting(e -> Long.parseLong(e.id()))
          .isSorted()
          .doesNotHaveDuplicates();

      List<SseClient.Event> all = everything.events();
      try (SseClient resumed =
          new SseClient(server.url("/v1/events"), "Last-Event-ID", all.get(4).id())) {
        await().atMost(PATIENCE).until(() -> resumed.events().size() >= all.size() - 5);
        // Same events; their task JSON is read when sent, so it may be newer than in the first
        // stream.
        assertThat(resumed.events())
            .extracting(SseClient.Event::id, SseClient.Event::name)
            .containsExactlyElementsOf(
                all.subList(5, all.size()).stream().map(e -> tuple(e.id(), e.name())).toList());
      }
    }
  }

  @Test
  void an_idle_stream_gets_heartbeat_comments() {
    try (SseClient stream = new SseClient(server.url("/v1/events"))) {
      await()
          .atMost(PATIENCE)
          .until(() -> stream.comments().stream().filter("heartbeat"::equals).count() >= 2);
      assertThat(stream.events()).isEmpty();
      assertThat(stream.hasEnded()).isFalse();
    }
  }

  @Test
  void an_unknown_task_or_a_bad_query_is_a_problem_not_a_stream() {
    RunningServer.Answer unknown = server.get("/v1/tasks/tsk_01JD0000000000000000000000/events");
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.header("Content-Type")).startsWith("application/problem+json");

    RunningServer.Answer badId = server.get("/v1/events", "Last-Event-ID", "yesterday");
    assertThat(badId.status()).isEqualTo(400);
    assertThat(badId.body().get("errors").get(0).get("field").asText()).isEqualTo("Last-Event-ID");
    assertThat(
            server
                .get("/v1/events?queue=no%20spaces")
                .body()
                .get("errors")
                .get(0)
                .get("field")
                .asText())
        .isEqualTo("queue");
    assertThat(server.get("/v1/events?qeue=x").status()).isEqualTo(400);
    assertThat(server.get("/v1/events?lastEventId=-1").status()).isEqualTo(400);
  }

  @Test
  void events_of_a_task_run_on_one_node_reach_a_subscriber_on_another_node() throws Exception {
    String databaseUrl = TestPostgres.freshSchemaUrl();
    MonitoringConfig fast = new MonitoringConfig(Duration.ofMillis(200), 1_000);
    try (RunningServer a =
            new RunningServer(dir.resolve("pa"), c -> c.withDatabaseUrl(databaseUrl), fast);
        RunningServer b =
            new RunningServer(dir.resolve("pb"), c -> c.withDatabaseUrl(databaseUrl), fast);
        SseClient onB = new SseClient(b.url("/v1/events?queue=cross"))) {
      String id = retriedOnce(a, "cross");
      try (SseClient taskOnB = new SseClient(b.url("/v1/tasks/" + id + "/events"))) {
        await().atMost(PATIENCE).until(taskOnB::hasEnded);
        assertThat(taskOnB.names()).containsExactlyElementsOf(RETRIED_ONCE);
      }
      await().atMost(PATIENCE).until(() -> onB.names().size() >= RETRIED_ONCE.size());
      assertThat(onB.names()).containsExactlyElementsOf(RETRIED_ONCE);
    } finally {
      TestPostgres.dropSchema(databaseUrl);
    }
  }
}
