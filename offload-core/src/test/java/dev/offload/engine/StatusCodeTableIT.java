package dev.offload.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.offload.store.JdbcStore;
import dev.offload.store.SqliteDialect;
import dev.offload.task.Attempt;
import dev.offload.task.AttemptOutcome;
import dev.offload.task.Backoff;
import dev.offload.task.CreateResult;
import dev.offload.task.NewTask;
import dev.offload.task.Task;
import dev.offload.task.TaskBatch;
import dev.offload.task.TaskId;
import dev.offload.task.TaskStatus;
import dev.offload.testing.RawTarget;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every status code from 100 to 599 through the whole engine and a real SQLite file: how the
 * attempt ends, whether the task is retried, and which status and excerpt are stored.
 */
class StatusCodeTableIT {
  private static final String BODY = "answer";

  @TempDir Path dir;

  /** What a target answering {@code status} leads to. */
  private record Expected(
      TaskStatus status, List<AttemptOutcome> outcomes, Integer storedStatus, String excerpt) {
    static Expected of(int code) {
      if (code == 101) return failedAtOnce(101, "");
      if (code < 200)
        return new Expected(TaskStatus.SUCCEEDED, List.of(AttemptOutcome.SUCCEEDED), 200, BODY);
      if (code == 204)
        return new Expected(TaskStatus.SUCCEEDED, List.of(AttemptOutcome.SUCCEEDED), 204, "");
      if (code < 300)
        return new Expected(TaskStatus.SUCCEEDED, List.of(AttemptOutcome.SUCCEEDED), code, BODY);
      if (code == 304) return failedAtOnce(304, "");
      if (code >= 500 || code == 408 || code == 425 || code == 429) {
        return new Expected(
            TaskStatus.FAILED,
            List.of(AttemptOutcome.HTTP_ERROR, AttemptOutcome.HTTP_ERROR),
            code,
            BODY);
      }
      return failedAtOnce(code, BODY);
    }

    static Expected failedAtOnce(int code, String excerpt) {
      return new Expected(TaskStatus.FAILED, List.of(AttemptOutcome.HTTP_ERROR), code, excerpt);
    }
  }

  /**
   * A 1xx other than 101 is interim, so the target follows it with a final 200; 101 switches the
   * connection away from HTTP; 204 and 304 carry a body they may not have, which is ignored.
   */
  private static String answer(String head) {
    int code =
        Integer.parseInt(
            head.substring(head.indexOf("/status/") + 8, head.indexOf("/status/") + 11));
    String withBody =
        "Connection: close\r\nContent-Type: text/plain\r\nContent-Length: "
            + BODY.length()
            + "\r\n\r\n"
            + BODY;
    if (code == 101)
      return "HTTP/1.1 101 Switching Protocols\r\nUpgrade: other\r\nConnection: Upgrade\r\n\r\n";
    if (code < 200) return "HTTP/1.1 " + code + " Interim\r\n\r\nHTTP/1.1 200 OK\r\n" + withBody;
    return "HTTP/1.1 " + code + " Status " + code + "\r\n" + withBody;
  }

  @Test
  void every_status_code_from_100_to_599_is_classified_retried_and_stored_as_documented()
      throws Exception {
    EngineConfig config =
        EngineConfig.builder()
            .nodeId("node-table")
            .maxInFlight(100)
            .claimBatch(50)
            .connectTimeout(Duration.ofSeconds(2))
            .shutdownGrace(Duration.ZERO)
            .version("test")
            .build();
    Backoff quick =
        new Backoff(Backoff.Type.FIXED, Duration.ofMillis(10), Duration.ofMillis(10), 1.0, false);
    try (RawTarget target = new RawTarget().answering(StatusCodeTableIT::answer);
        Engine engine =
            Engine.start(
                config,
                JdbcStore.open(new SqliteDialect(dir.resolve("offload.db"), false)),
                Clock.systemUTC())) {
      Map<Integer, TaskId> tasks = new LinkedHashMap<>();
      List<NewTask> batch = new ArrayList<>();
      for (int code = 100; code <= 599; code++) {
        NewTask task =
            NewTask.builder()
                .callbackUrl(target.url("http", "/status/" + code))
                .retries(1)
                .backoff(quick)
                .timeout(Duration.ofSeconds(10))
                .build();
        tasks.put(code, task.id());
        batch.add(task);
      }
      assertThat(engine.create(new TaskBatch(batch)).get())
          .isInstanceOf(CreateResult.Created.class);
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  tasks.values().stream()
                      .allMatch(id -> engine.find(id).orElseThrow().status().isTerminal()));

      SoftAssertions softly = new SoftAssertions();
      tasks.forEach(
          (code, id) -> {
            Expected expected = Expected.of(code);
            Task task = engine.find(id).orElseThrow();
            List<Attempt> attempts = engine.attempts(id);
            softly
                .assertThat(task.status())
                .as("%d: task status", code)
                .isEqualTo(expected.status());
            softly
                .assertThat(attempts)
                .extracting(Attempt::outcome)
                .as("%d: attempts (retry decision)", code)
                .isEqualTo(expected.outcomes());
            softly
                .assertThat(attempts)
                .extracting(Attempt::statusCode)
                .as("%d: stored status", code)
                .containsOnly(expected.storedStatus());
            softly
                .assertThat(attempts.getLast().responseExcerpt())
                .as("%d: stored excerpt", code)
                .isEqualTo(expected.excerpt());
          });
      softly.assertAll();
    }
  }
}
