package dev.offload.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.offload.server.TestTarget.Received;
import dev.offload.server.TestTarget.Reply;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * README: How it works outcomes against a real target: what is retried, when, and what fails at
 * once.
 */
class RetryIT extends LiveServerSupport {

  @Test
  void retries_5xx_until_success() {
    String path = path("flaky");
    target.onSequence(
        path, Reply.status(500), Reply.status(500), Reply.ok("{\"third\":\"time lucky\"}"));

    String id =
        server.createTask(
            json(
                "{'callbackUrl':'%s','payload':{'n':1},'backoff':{'type':'fixed','initial':'100ms','jitter':false}}",
                target.url(path)));
    JsonNode task = server.awaitFinished(id);

    assertThat(task.path("status").asText()).isEqualTo("succeeded");
    assertThat(task.path("attempts").asInt()).isEqualTo(3);
    assertThat(task.path("result").path("body").path("third").asText()).isEqualTo("time lucky");
    JsonNode attempts = attempts(id);
    assertThat(texts(attempts, "outcome")).containsExactly("http_error", "http_error", "succeeded");
    assertThat(texts(attempts, "statusCode")).containsExactly("500", "500", "200");
    List<Received> calls = target.received(path);
    assertThat(calls).extracting(r -> r.header("Offload-Attempt")).containsExactly("1", "2", "3");
    assertThat(calls).extracting(r -> r.header("Offload-Task-Id")).containsOnly(id);
    assertThat(millisBetween(calls.get(0).at(), calls.get(1).at()))
        .as("fixed backoff of 100ms")
        .isGreaterThanOrEqualTo(90);
    assertThat(millisBetween(calls.get(1).at(), calls.get(2).at()))
        .as("fixed backoff of 100ms")
        .isGreaterThanOrEqualTo(90);
  }

  @Test
  void exhausted_retries_fail_the_task_with_the_last_error() {
    String path = path("down");
    target.on(path, Reply.status(503));

    String id =
        server.createTask(
            json(
                "{'callbackUrl':'%s','retries':2,'backoff':{'type':'fixed','initial':'20ms','jitter':false}}",
                target.url(path)));
    JsonNode task = server.awaitFinished(id);

    assertThat(task.path("status").asText()).isEqualTo("failed");
    assertThat(task.path("attempts").asInt()).isEqualTo(3);
    assertThat(task.path("maxAttempts").asInt()).isEqualTo(3);
    assertThat(task.path("lastError").asText()).contains("503");
    assertThat(task.path("finishedAt").isNull()).isFalse();
    assertThat(texts(attempts(id), "outcome"))
        .containsExactly("http_error", "http_error", "http_error");
    assertThat(target.received(path)).hasSize(3);
  }

  @Test
  void a_422_fails_the_task_without_a_retry() {
    String path = path("unprocessable");
    target.on(
        path,
        new Reply(
            422,
            Map.of("Content-Type", "application/json"),
            "{\"error\":\"bad video\"}",
            Duration.ZERO));

    String id =
        server.createTask(
            json(
                "{'callbackUrl':'%s','retries':3,'backoff':{'type':'fixed','initial':'10ms','jitter':false}}",
                target.url(path)));
    JsonNode task = server.awaitFinished(id);

    assertThat(task.path("status").asText()).isEqualTo("failed");
    assertThat(task.path("attempts").asInt()).isEqualTo(1);
    assertThat(task.path("lastError").asText()).contains("422");
    JsonNode attempts = attempts(id);
    assertThat(attempts).hasSize(1);
    assertThat(attempts.get(0).path("outcome").asText()).isEqualTo("http_error");
    assertThat(attempts.get(0).path("statusCode").asInt()).isEqualTo(422);
    assertThat(target.received(path)).hasSize(1);
  }

  @Test
  void offload_retry_false_on_a_500_fails_the_task_without_a_retry() {
    String path = path("give-up");
    target.on(path, Reply.status(500).withHeader("Offload-Retry", "false"));

    String id =
        server.createTask(
            json(
                "{'callbackUrl':'%s','retries':3,'backoff':{'type':'fixed','initial':'10ms','jitter':false}}",
                target.url(path)));
    JsonNode task = server.awaitFinished(id);

    assertThat(task.path("status").asText()).isEqualTo("failed");
    assertThat(task.path("attempts").asInt()).isEqualTo(1);
    assertThat(task.path("lastError").asText()).contains("500");
    assertThat(attempts(id)).hasSize(1);
    assertThat(target.received(path)).hasSize(1);
  }

  @Test
  void retry_after_on_a_429_sets_the_next_delay_instead_of_the_backoff() {
    String path = path("rate-limited");
    target.onSequence(path, Reply.status(429).withHeader("Retry-After", "1"), Reply.ok("{}"));

    String id =
        server.createTask(
            json(
                "{'callbackUrl':'%s','backoff':{'type':'fixed','initial':'10ms','jitter':false}}",
                target.url(path)));
    JsonNode task = server.awaitFinished(id);

    assertThat(task.path("status").asText()).isEqualTo("succeeded");
    List<Received> calls = target.received(path);
    assertThat(calls).hasSize(2);
    assertThat(millisBetween(calls.get(0).at(), calls.get(1).at()))
        .as("Retry-After: 1 wins over the 10ms backoff")
        .isBetween(950L, 2_500L);
  }

  @Test
  void retry_after_as_an_http_date_on_a_503_sets_the_next_delay() {
    String path = path("maintenance");
    AtomicInteger calls = new AtomicInteger();
    target.on(
        path,
        request -> {
          if (calls.getAndIncrement() > 0) return Reply.ok("{}");
          String inTwoSeconds =
              DateTimeFormatter.RFC_1123_DATE_TIME.format(
                  ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(2));
          return Reply.status(503).withHeader("Retry-After", inTwoSeconds);
        });

    String id =
        server.createTask(
            json(
                "{'callbackUrl':'%s','backoff':{'type':'fixed','initial':'10ms','jitter':false}}",
                target.url(path)));
    JsonNode task = server.awaitFinished(id);

    assertThat(task.path("status").asText()).isEqualTo("succeeded");
    List<Received> received = target.received(path);
    assertThat(received).hasSize(2);
    assertThat(millisBetween(received.get(0).at(), received.get(1).at()))
        .as("an HTTP date two seconds ahead (whole seconds) waits one to two seconds, not 10ms")
        .isBetween(900L, 3_000L);
  }

  @Test
  void retry_after_is_capped_by_the_backoff_max() {
    String path = path("rate-limited-long");
    target.onSequence(path, Reply.status(429).withHeader("Retry-After", "30"), Reply.ok("{}"));

    String id =
        server.createTask(
            json(
                "{'callbackUrl':'%s','backoff':{'type':'fixed','initial':'10ms','max':'200ms','jitter':false}}",
                target.url(path)));
    JsonNode task = server.awaitFinished(id);

    assertThat(task.path("status").asText()).isEqualTo("succeeded");
    List<Received> calls = target.received(path);
    assertThat(calls).hasSize(2);
    assertThat(millisBetween(calls.get(0).at(), calls.get(1).at()))
        .as("Retry-After: 30 capped at the backoff max of 200ms")
        .isBetween(180L, 1_500L);
  }

  @Test
  void a_target_slower_than_the_timeout_fails_the_attempt_with_outcome_timeout() {
    String path = path("slow");
    target.on(path, Reply.ok("{}").holding(Duration.ofSeconds(5)));

    Instant created = Instant.now();
    String id =
        server.createTask(
            json("{'callbackUrl':'%s','timeout':'300ms','retries':0}", target.url(path)));
    JsonNode task = server.awaitFinished(id);

    assertThat(millisBetween(created, Instant.now()))
        .as("the 5s hold was cut at 300ms")
        .isLessThan(3_000);
    assertThat(task.path("status").asText()).isEqualTo("failed");
    assertThat(task.path("attempts").asInt()).isEqualTo(1);
    JsonNode attempt = attempts(id).get(0);
    assertThat(attempt.path("outcome").asText()).isEqualTo("timeout");
    assertThat(attempt.path("statusCode").isNull()).isTrue();
    assertThat(attempt.path("durationMs").asLong()).isBetween(250L, 2_500L);
    assertThat(
            millisBetween(instant(attempt.path("startedAt")), instant(attempt.path("finishedAt"))))
        .isLessThan(2_500);
  }
}
