package dev.offload.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.offload.task.AttemptOutcome;
import dev.offload.task.TaskResult;
import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ResponseClassifierTest {
  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

  private static TaskResult response(int status) {
    return new TaskResult(status, "application/json", "{\"ok\":false}", true, false);
  }

  private static Outcome classify(int status) {
    return ResponseClassifier.classify(response(status), null, null, NOW);
  }

  @ParameterizedTest
  @ValueSource(ints = {200, 201, 202, 204, 299})
  void a_2xx_response_succeeds_with_the_response_as_result(int status) {
    TaskResult response = response(status);

    Outcome outcome = ResponseClassifier.classify(response, null, null, NOW);

    assertThat(outcome).isEqualTo(new Outcome.Succeeded(response));
    assertThat(outcome.kind()).isEqualTo(AttemptOutcome.SUCCEEDED);
  }

  @ParameterizedTest
  @ValueSource(ints = {500, 502, 503, 504, 599, 408, 425, 429})
  void server_errors_timeouts_too_early_and_too_many_requests_are_retried(int status) {
    TaskResult response = response(status);

    Outcome outcome = ResponseClassifier.classify(response, null, null, NOW);

    assertThat(outcome)
        .isEqualTo(
            new Outcome.Retryable(AttemptOutcome.HTTP_ERROR, response, "HTTP " + status, null));
  }

  @ParameterizedTest
  @ValueSource(ints = {400, 401, 403, 404, 409, 410, 413, 422})
  void other_client_errors_fail_the_task_at_once(int status) {
    TaskResult response = response(status);

    Outcome outcome = ResponseClassifier.classify(response, null, null, NOW);

    assertThat(outcome)
        .isEqualTo(new Outcome.NonRetryable(AttemptOutcome.HTTP_ERROR, response, "HTTP " + status));
  }

  @ParameterizedTest
  @ValueSource(ints = {301, 302, 303, 304, 307, 308})
  void redirects_are_not_followed_and_fail_the_task(int status) {
    Outcome outcome = classify(status);

    assertThat(outcome).isInstanceOf(Outcome.NonRetryable.class);
    assertThat(((Outcome.NonRetryable) outcome).error())
        .contains("HTTP " + status)
        .contains("redirect");
  }

  @ParameterizedTest
  @ValueSource(strings = {"false", "FALSE", " False "})
  void offload_retry_false_makes_a_5xx_fail_at_once(String header) {
    TaskResult response = response(500);

    Outcome outcome = ResponseClassifier.classify(response, header, null, NOW);

    assertThat(outcome).isInstanceOf(Outcome.NonRetryable.class);
    assertThat(outcome.response()).isEqualTo(response);
    assertThat(((Outcome.NonRetryable) outcome).error())
        .contains("HTTP 500")
        .contains("Offload-Retry: false");
  }

  @Test
  void offload_retry_false_makes_a_429_fail_at_once_too() {
    assertThat(ResponseClassifier.classify(response(429), "false", "30", NOW))
        .isInstanceOf(Outcome.NonRetryable.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"true", "", "no"})
  void any_other_offload_retry_value_keeps_a_5xx_retryable(String header) {
    assertThat(ResponseClassifier.classify(response(500), header, null, NOW))
        .isInstanceOf(Outcome.Retryable.class);
  }

  @ParameterizedTest
  @ValueSource(ints = {429, 503})
  void retry_after_in_seconds_sets_the_wait_on_429_and_503(int status) {
    Outcome outcome = ResponseClassifier.classify(response(status), null, "120", NOW);

    assertThat(((Outcome.Retryable) outcome).retryAfter()).isEqualTo(Duration.ofSeconds(120));
  }

  @ParameterizedTest
  @ValueSource(ints = {429, 503})
  void retry_after_as_http_date_sets_the_wait_on_429_and_503(int status) {
    Outcome outcome =
        ResponseClassifier.classify(response(status), null, "Thu, 01 Jan 2026 00:01:30 GMT", NOW);

    assertThat(((Outcome.Retryable) outcome).retryAfter()).isEqualTo(Duration.ofSeconds(90));
  }

  @ParameterizedTest
  @ValueSource(ints = {500, 502, 504, 408})
  void retry_after_is_ignored_on_other_retryable_statuses(int status) {
    Outcome outcome = ResponseClassifier.classify(response(status), null, "120", NOW);

    assertThat(((Outcome.Retryable) outcome).retryAfter()).isNull();
  }

  @Test
  void retry_after_parses_seconds_and_dates_and_gives_up_on_anything_else() {
    assertThat(ResponseClassifier.parseRetryAfter(" 0 ", NOW)).isZero();
    assertThat(ResponseClassifier.parseRetryAfter("3600", NOW)).isEqualTo(Duration.ofHours(1));
    assertThat(ResponseClassifier.parseRetryAfter("Thu, 01 Jan 2026 01:00:00 GMT", NOW))
        .isEqualTo(Duration.ofHours(1));
    assertThat(ResponseClassifier.parseRetryAfter("Wed, 31 Dec 2025 23:00:00 GMT", NOW))
        .as("a date in the past means now")
        .isZero();
    assertThat(ResponseClassifier.parseRetryAfter(null, NOW)).isNull();
    assertThat(ResponseClassifier.parseRetryAfter("", NOW)).isNull();
    assertThat(ResponseClassifier.parseRetryAfter("-5", NOW)).isNull();
    assertThat(ResponseClassifier.parseRetryAfter("1.5", NOW)).isNull();
    assertThat(ResponseClassifier.parseRetryAfter("soon", NOW)).isNull();
    assertThat(ResponseClassifier.parseRetryAfter("99999999999999999999", NOW))
        .as("too large to be meant")
        .isNull();
  }

  @Test
  void unreadable_retry_after_leaves_a_429_retryable_with_no_wish() {
    Outcome outcome = ResponseClassifier.classify(response(429), null, "tomorrow", NOW);

    assertThat(outcome).isInstanceOf(Outcome.Retryable.class);
    assertThat(((Outcome.Retryable) outcome).retryAfter()).isNull();
  }

  @Test
  void a_timeout_is_a_retryable_timeout_that_states_the_limit() {
    Outcome outcome =
        ResponseClassifier.classifyFailure(
            new TimeoutException("Total timeout"), Duration.ofSeconds(5));

    assertThat(outcome).isInstanceOf(Outcome.Retryable.class);
    assertThat(outcome.kind()).isEqualTo(AttemptOutcome.TIMEOUT);
    assertThat(outcome.response()).isNull();
    assertThat(((Outcome.Retryable) outcome).error()).contains("5000ms");
    assertThat(((Outcome.Retryable) outcome).retryAfter()).isNull();
  }

  @Test
  void a_wrapped_timeout_is_still_a_timeout() {
    Throwable failure =
        new ExecutionException(new IOException("exchange failed", new TimeoutException("idle")));

    assertThat(ResponseClassifier.classifyFailure(failure, null).kind())
        .isEqualTo(AttemptOutcome.TIMEOUT);
  }

  @Test
  void a_refused_connection_is_a_retryable_connection_error() {
    Outcome outcome =
        ResponseClassifier.classifyFailure(
            new ConnectException("Connection refused"), Duration.ofSeconds(5));

    assertThat(outcome).isInstanceOf(Outcome.Retryable.class);
    assertThat(outcome.kind()).isEqualTo(AttemptOutcome.CONNECTION_ERROR);
    assertThat(((Outcome.Retryable) outcome).error())
        .contains("connection error")
        .contains("ConnectException")
        .contains("Connection refused");
  }

  @Test
  void a_wrapped_connection_failure_is_classified_by_its_root_cause() {
    Throwable failure = new CompletionException(new ConnectException("Connection refused"));

    Outcome outcome = ResponseClassifier.classifyFailure(failure, null);

    assertThat(outcome.kind()).isEqualTo(AttemptOutcome.CONNECTION_ERROR);
    assertThat(((Outcome.Retryable) outcome).error()).contains("ConnectException");
  }

  @Test
  void any_other_failure_is_a_retryable_connection_error() {
    Outcome outcome = ResponseClassifier.classifyFailure(new IllegalStateException("boom"), null);

    assertThat(outcome.kind()).isEqualTo(AttemptOutcome.CONNECTION_ERROR);
    assertThat(((Outcome.Retryable) outcome).error()).contains("request failed").contains("boom");
  }

  @Test
  void a_cancellation_is_aborted() {
    assertThat(ResponseClassifier.classifyFailure(new CancellationException("cancelled"), null))
        .isEqualTo(new Outcome.Aborted());
    assertThat(
            ResponseClassifier.classifyFailure(
                new ExecutionException(new CancellationException()), null))
        .isEqualTo(new Outcome.Aborted());
    assertThat(new Outcome.Aborted().kind()).isEqualTo(AttemptOutcome.CANCELLED);
  }
}
