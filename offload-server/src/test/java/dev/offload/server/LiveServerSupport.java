package dev.offload.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.offload.server.RunningServer.Answer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * One real server (own SQLite file) and one real target per test class. Tests stay apart by giving
 * each task its own target path, queue and idempotency key.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class LiveServerSupport {
  static final ObjectMapper JSON = new ObjectMapper();

  RunningServer server;
  TestTarget target;
  private final AtomicInteger names = new AtomicInteger();

  @BeforeAll
  void startServerAndTarget(@TempDir Path dataDir) throws IOException {
    target = new TestTarget();
    server = new RunningServer(dataDir);
  }

  @AfterAll
  void stopServerAndTarget() {
    try {
      if (server != null) server.close();
    } finally {
      if (target != null) target.close();
    }
  }

  /** A name no other test of this class uses, for paths, queues and keys. */
  String unique(String prefix) {
    return prefix + "-" + names.incrementAndGet() + "-" + System.nanoTime();
  }

  /** A target path no other test of this class uses. */
  String path(String name) {
    return "/" + unique(name);
  }

  /** JSON written with single quotes for readability: {@code json("{'a':'%s'}", x)}. */
  static String json(String template, Object... args) {
    return String.format(template.replace('\'', '"'), args);
  }

  static JsonNode parse(String text) {
    try {
      return JSON.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  JsonNode task(String taskId) {
    Answer answer = server.get("/v1/tasks/" + taskId);
    assertThat(answer.status()).as("GET task %s: %s", taskId, answer.text()).isEqualTo(200);
    return answer.body();
  }

  JsonNode attempts(String taskId) {
    Answer answer = server.get("/v1/tasks/" + taskId + "/attempts");
    assertThat(answer.status()).as("GET attempts of %s: %s", taskId, answer.text()).isEqualTo(200);
    return answer.body();
  }

  Answer cancel(String taskId) {
    return server.post("/v1/tasks/" + taskId + "/cancel", "{}");
  }

  Answer retry(String taskId) {
    return server.post("/v1/tasks/" + taskId + "/retry", "{}");
  }

  /** Polls with a deadline; never a blind sleep. */
  static ConditionFactory eventually() {
    return Awaitility.await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(20));
  }

  void awaitStatus(String taskId, String status) {
    eventually()
        .untilAsserted(() -> assertThat(task(taskId).path("status").asText()).isEqualTo(status));
  }

  static List<String> texts(JsonNode array, String field) {
    List<String> values = new ArrayList<>();
    array.forEach(item -> values.add(item.path(field).asText(null)));
    return values;
  }

  static Instant instant(JsonNode node) {
    assertThat(node.isTextual()).as("an RFC 3339 instant, got %s", node).isTrue();
    return Instant.parse(node.asText());
  }

  static void assertProblem(Answer answer, int status) {
    assertThat(answer.status()).as(answer.text()).isEqualTo(status);
    assertThat(answer.header("Content-Type")).startsWith("application/problem+json");
    assertThat(answer.body().path("status").asInt()).isEqualTo(status);
    assertThat(answer.body().path("title").asText()).isNotBlank();
    assertThat(answer.body().path("detail").asText()).isNotBlank();
  }

  static List<String> problemFields(Answer answer) {
    return texts(answer.body().path("errors"), "field");
  }

  static long millisBetween(Instant from, Instant to) {
    return Duration.between(from, to).toMillis();
  }
}
