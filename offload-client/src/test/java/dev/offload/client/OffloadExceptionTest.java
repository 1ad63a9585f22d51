package dev.offload.client;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OffloadExceptionTest {

  @Test
  void reads_every_field_of_a_problem() {
    String body =
        """
        {"type":"about:blank","title":"Invalid request","status":400,
         "detail":"2 fields are invalid: retries, backoff.initial",
         "errors":[{"field":"retries","message":"must be a whole number from 0 to 100"},
                   {"field":"backoff.initial","message":"must be a duration"}]}""";

    OffloadException e = OffloadException.fromAnswer(400, body, "POST /v1/tasks", "req_1");

    assertThat(e.status()).isEqualTo(400);
    assertThat(e.type()).isEqualTo("about:blank");
    assertThat(e.title()).isEqualTo("Invalid request");
    assertThat(e.detail()).isEqualTo("2 fields are invalid: retries, backoff.initial");
    assertThat(e.errors())
        .containsExactly(
            new FieldError("retries", "must be a whole number from 0 to 100"),
            new FieldError("backoff.initial", "must be a duration"));
    assertThat(e.request()).isEqualTo("POST /v1/tasks");
    assertThat(e.requestId()).isEqualTo("req_1");
    assertThat(e)
        .hasMessage(
            "400 Invalid request: 2 fields are invalid: retries, backoff.initial (POST /v1/tasks, request req_1)");
  }

  @Test
  void a_problem_without_errors_has_an_empty_list() {
    OffloadException e =
        OffloadException.fromAnswer(
            404,
            "{\"type\":\"about:blank\",\"title\":\"Not found\",\"status\":404,\"detail\":\"no task tsk_x\"}",
            "GET /v1/tasks/tsk_x",
            null);

    assertThat(e.errors()).isEmpty();
    assertThat(e).hasMessage("404 Not found: no task tsk_x (GET /v1/tasks/tsk_x)");
  }

  @Test
  void an_answer_that_is_not_a_problem_keeps_its_status_and_the_start_of_its_body() {
    OffloadException html =
        OffloadException.fromAnswer(
            502, "<html>\n<body>Bad gateway</body></html>", "GET /v1/tasks", null);
    assertThat(html.status()).isEqualTo(502);
    assertThat(html.title()).isEqualTo("HTTP 502");
    assertThat(html.detail()).isEqualTo("<html> <body>Bad gateway</body></html>");
    assertThat(html.type()).isEqualTo("about:blank");

    OffloadException empty = OffloadException.fromAnswer(503, "", "GET /v1/tasks", null);
    assertThat(empty.detail()).isEqualTo("the answer had no body");

    OffloadException array = OffloadException.fromAnswer(500, "[1,2]", "GET /v1/tasks", null);
    assertThat(array.detail()).isEqualTo("[1,2]");
  }

  @Test
  void a_connection_failure_has_no_status() {
    OffloadConnectionException e =
        new OffloadConnectionException(
            "cannot connect to http://127.0.0.1:1: Connection refused", "GET /v1/tasks", null);

    assertThat(e.status()).isZero();
    assertThat(e)
        .isInstanceOf(OffloadException.class)
        .hasMessage(
            "No answer from Offload: cannot connect to http://127.0.0.1:1: Connection refused (GET /v1/tasks)");
  }
}
