package dev.offload.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.offload.net.TargetGuard;
import dev.offload.task.AttemptOutcome;
import dev.offload.testing.RawTarget;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Answers the HTTP client could turn into exceptions instead of responses, each classified on
 * purpose: a status that arrived is an answer; anything that is not valid HTTP is a retried
 * connection error with no status and a readable reason.
 */
class HttpInvokerAnswersIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private final RawTarget target = new RawTarget();
  private final HttpInvoker invoker =
      new HttpInvoker(
          new InvokerConfig(
              Duration.ofSeconds(2), 4, 100, 1 << 20, 8, "Offload/test", TargetGuard.off()),
          Clock.systemUTC());

  @BeforeEach
  void start() {
    invoker.start();
  }

  @AfterEach
  void stop() throws Exception {
    invoker.close();
    target.close();
  }

  private Outcome call(String scheme) throws Exception {
    OutgoingRequest request =
        new OutgoingRequest(
            URI.create(target.url(scheme, "/hook")),
            "POST",
            Map.of(),
            "{}".getBytes(StandardCharsets.UTF_8),
            "application/json",
            Duration.ofSeconds(5));
    // Bounded well past the attempt timeout: an exchange the client never finishes fails here, not
    // by hanging.
    return invoker.send(request).outcome().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
  }

  @Test
  void a_bare_401_is_an_answer_failed_at_once_with_its_status_and_body() throws Exception {
    target.answering(
        "HTTP/1.1 401 Unauthorized\r\nContent-Type: application/json\r\nContent-Length: 27\r\n\r\n"
            + "{\"error\":\"bad signature\"}\r\n");

    Outcome outcome = call("http");

    assertThat(outcome).isInstanceOf(Outcome.NonRetryable.class);
    assertThat(outcome.kind()).isEqualTo(AttemptOutcome.HTTP_ERROR);
    assertThat(outcome.response().statusCode()).isEqualTo(401);
    assertThat(outcome.response().body()).contains("bad signature");
  }

  @Test
  void a_bare_407_is_an_answer_failed_at_once_with_its_status_and_body() throws Exception {
    target.answering(
        "HTTP/1.1 407 Proxy Authentication Required\r\nContent-Length: 8\r\n\r\nno proxy");

    Outcome outcome = call("http");

    assertThat(outcome).isInstanceOf(Outcome.NonRetryable.class);
    assertThat(outcome.response().statusCode()).isEqualTo(407);
    assertThat(outcome.response().body()).isEqualTo("no proxy");
  }

  @Test
  void a_401_with_a_challenge_is_the_same_answer() throws Exception {
    target.answering(
        "HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic realm=\"x\"\r\nContent-Length: 4\r\n\r\nnope");

    Outcome outcome = call("http");

    assertThat(outcome).isInstanceOf(Outcome.NonRetryable.class);
    assertThat(outcome.response().statusCode()).isEqualTo(401);
  }

  static Stream<Arguments> answers_that_are_not_valid_http() {
    return Stream.of(
        Arguments.of(
            "an interim 1xx and then nothing",
            "HTTP/1.1 100 Continue\r\n\r\n",
            "closed the connection"),
        Arguments.of(
            "an unknown 1xx and then nothing", "HTTP/1.1 150 Whatever\r\n\r\n", "connection"),
        Arguments.of(
            "a Content-Length that is not a number",
            "HTTP/1.1 200 OK\r\nContent-Length: abc\r\n\r\nhello",
            "Invalid Content-Length"),
        Arguments.of(
            "a negative Content-Length",
            "HTTP/1.1 200 OK\r\nContent-Length: -5\r\n\r\nhello",
            "Invalid Content-Length"),
        Arguments.of(
            "two different Content-Lengths",
            "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!",
            "Multiple Content-Lengths"),
        Arguments.of(
            "a body shorter than its Content-Length",
            "HTTP/1.1 200 OK\r\nContent-Length: 50\r\n\r\nhello",
            "closed the connection"),
        Arguments.of(
            "a chunk size that is not hex",
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n",
            "connection"),
        Arguments.of(
            "a chunked body cut short",
            "HTTP/1.1 500 Oops\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel",
            "closed the connection"),
        Arguments.of("a reply that is not HTTP", "SSH-2.0-OpenSSH_9.6\r\n", "not valid HTTP"),
        Arguments.of("a status line without a version", "hello world\r\n\r\n", "not valid HTTP"),
        Arguments.of(
            "a status below 100",
            "HTTP/1.1 099 Odd\r\nContent-Length: 2\r\n\r\nok",
            "not valid HTTP"),
        Arguments.of("no answer at all", "", "closed the connection"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource
  void answers_that_are_not_valid_http(String what, String raw, String reason) throws Exception {
    target.answering(raw);

    Outcome outcome = call("http");

    assertThat(outcome).as(what).isInstanceOf(Outcome.Retryable.class);
    assertThat(outcome.kind()).isEqualTo(AttemptOutcome.CONNECTION_ERROR);
    assertThat(outcome.response()).as("no status is stored for a broken answer").isNull();
    assertThat(((Outcome.Retryable) outcome).error())
        .startsWith("connection error: ")
        .contains(reason)
        .hasSizeLessThan(300);
  }

  @Test
  void a_204_or_304_with_a_body_is_read_without_the_body() throws Exception {
    target.answering(
        "HTTP/1.1 204 No Content\r\nConnection: close\r\nContent-Length: 5\r\n\r\nhello");
    Outcome noContent = call("http");
    target.answering(
        "HTTP/1.1 304 Not Modified\r\nConnection: close\r\nContent-Length: 5\r\n\r\nhello");
    Outcome notModified = call("http");

    assertThat(noContent).isInstanceOf(Outcome.Succeeded.class);
    assertThat(noContent.response().statusCode()).isEqualTo(204);
    assertThat(noContent.response().body()).isEmpty();
    assertThat(notModified).isInstanceOf(Outcome.NonRetryable.class);
    assertThat(notModified.response().statusCode()).isEqualTo(304);
  }

  @Test
  void a_very_large_head_is_read_like_any_other() throws Exception {
    target.answering(
        "HTTP/1.1 200 OK\r\nConnection: close\r\nX-Big: "
            + "a".repeat(600_000)
            + "\r\nContent-Length: 2\r\n\r\nok");

    Outcome outcome = call("http");

    assertThat(outcome).isInstanceOf(Outcome.Succeeded.class);
    assertThat(outcome.response().body()).isEqualTo("ok");
  }

  @Test
  void a_101_that_was_never_asked_for_fails_at_once() throws Exception {
    target.answering(
        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: other\r\nConnection: Upgrade\r\n\r\n");

    Outcome outcome = call("http");

    assertThat(outcome).isInstanceOf(Outcome.NonRetryable.class);
    assertThat(outcome.kind()).isEqualTo(AttemptOutcome.HTTP_ERROR);
    assertThat(outcome.response().statusCode()).isEqualTo(101);
  }

  @Test
  void interim_answers_before_the_final_one_are_skipped() throws Exception {
    for (int interim : new int[] {100, 102, 103, 150, 199}) {
      target.answering(
          "HTTP/1.1 "
              + interim
              + " Interim\r\nLink: </style.css>\r\n\r\n"
              + "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 4\r\n\r\ndone");

      Outcome outcome = call("http");

      assertThat(outcome).as("after a %d", interim).isInstanceOf(Outcome.Succeeded.class);
      assertThat(outcome.response().body()).isEqualTo("done");
    }
  }

  @Test
  void tls_to_a_plain_http_port_is_a_retried_connection_error_naming_tls() throws Exception {
    target.answeringOnConnect(
        "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");

    Outcome outcome = call("https");

    assertThat(outcome).isInstanceOf(Outcome.Retryable.class);
    assertThat(outcome.kind()).isEqualTo(AttemptOutcome.CONNECTION_ERROR);
    assertThat(outcome.response()).isNull();
    assertThat(((Outcome.Retryable) outcome).error()).startsWith("connection error: TLS failed");
  }
}
