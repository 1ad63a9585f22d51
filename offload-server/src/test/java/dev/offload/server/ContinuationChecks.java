package dev.offload.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.offload.server.RunningServer.Answer;
import dev.offload.server.TestTarget.Received;
import dev.offload.server.TestTarget.Reply;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The long-work protocol of a push target (Offload-Continue, state, sleeps, callbacks) against a
 * real target, run on each store by a subclass.
 */
abstract class ContinuationChecks extends LiveServerSupport {
  private static final String FAST_FIXED =
      "\"backoff\":{\"type\":\"fixed\",\"initial\":\"20ms\",\"jitter\":false}";

  static Reply continuing(String directive, String state) {
    return Reply.ok(state).withHeader("Offload-Continue", directive);
  }

  static JsonNode bodyOf(Received call) {
    return parse(call.body());
  }

  Answer postTo(String url, String contentType, String body) {
    return server.send(
        HttpRequest.newBuilder(URI.create(url))
            .header("Content-Type", contentType)
            .POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  /** Holds a target's answer until the test has looked at the task in between. */
  static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void each_call_gets_the_last_state_until_the_target_finishes() {
    String path = path("count");
    target.on(
        path,
        call -> {
          if (call.header("Offload-Continuation") == null) return continuing("", "{\"i\":1}");
          int i = bodyOf(call).path("state").path("i").asInt();
          return i < 3
              ? continuing("", "{\"i\":" + (i + 1) + "}")
              : Reply.ok("{\"done\":" + i + "}");
        });

    String id =
        server.createTask(
            json("{'callbackUrl':'%s','payload':{'file':'a.csv'}}", target.url(path)));
    JsonNode task = server.awaitFinished(id);

    assertThat(task.path("status").asText()).isEqualTo("succeeded");
    assertThat(task.path("result").path("body").path("done").asInt()).isEqualTo(3);
    assertThat(task.path("continuations").asInt()).isEqualTo(3);
    assertThat(task.path("attempts").asInt()).isEqualTo(4);
    assertThat(task.path("state")).isEqualTo(parse("{\"i\":3}"));
    assertThat(texts(attempts(id), "outcome"))
        .containsExactly("continued", "continued", "continued", "succeeded");
    List<Received> calls = target.received(path);
    assertThat(calls)
        .extracting(c -> c.header("Offload-Continuation"))
        .containsExactly(null, "1", "2", "3");
    assertThat(bodyOf(calls.get(0))).isEqualTo(parse("{\"file\":\"a.csv\"}"));
    assertThat(bodyOf(calls.get(2)))
        .isEqualTo(parse("{\"payload\":{\"file\":\"a.csv\"},\"state\":{\"i\":2}}"));
    assertThat(calls)
        .extracting(c -> c.header("Offload-Callback-Url"))
        .doesNotContainNull()
        .doesNotHaveDuplicates();
  }

  @Test
  void after_sleeps_before_the_next_call_holding_nothing() {
    String path = path("sleep");
    target.onSequence(path, continuing("after=3s", "{\"slept\":false}"), Reply.ok("{}"));

    String id = server.createTask(json("{'callbackUrl':'%s'}", target.url(path)));
    AtomicReference<JsonNode> sleeping = new AtomicReference<>();
    eventually()
        .until(
            () -> {
              sleeping.set(task(id));
              return sleeping.get().path("status").asText().equals("scheduled");
            });
    assertThat(sleeping.get().path("waitingUntil").isTextual())
        .as("waitingUntil of %s", sleeping.get())
        .isTrue();
    assertThat(server.awaitFinished(id).path("status").asText()).isEqualTo("succeeded");

    List<Received> calls = target.received(path);
    assertThat(millisBetween(calls.get(0).at(), calls.get(1).at())).isGreaterThanOrEqualTo(2_900);
    assertThat(instant(sleeping.get().path("waitingUntil")))
        .isAfterOrEqualTo(calls.get(0).at().plusMillis(2_800));
  }

  @Test
  void await_waits_for_one_callback_that_works_once() {
    String path = path("await");
    AtomicReference<String> callbackUrl = new AtomicReference<>();
    CountDownLatch secondPostDone = new CountDownLatch(1);
    target.on(
        path,
        call -> {
          if (call.header("Offload-Continuation") == null) {
            callbackUrl.set(call.header("Offload-Callback-Url"));
            return continuing("await=1h", "{\"step\":\"transcode\"}");
          }
          awaitQuietly(secondPostDone);
          return Reply.ok(call.body());
        });

    String id = server.createTask(json("{'callbackUrl':'%s'}", target.url(path)));
    awaitStatus(id, "waiting");
    JsonNode waiting = task(id);
    assertThat(instant(waiting.path("waitingUntil")))
        .isAfter(Instant.now().plus(Duration.ofMinutes(59)));
    assertThat(texts(attempts(id), "outcome")).containsExactly("awaiting");

    String url = callbackUrl.get();
    assertThat(url).startsWith(server.url("/v1/callbacks/"));
    assertProblem(postTo(url, "text/plain", "done"), 415);
    assertProblem(postTo(url, "application/json", "{not json"), 400);
    assertProblem(postTo(url, "application/json", "\"" + "x".repeat(1024 * 1024 + 10) + "\""), 413);
    assertProblem(
        postTo(url.substring(0, url.length() - 3) + "abc", "application/json", "{}"), 404);
    assertThat(task(id).path("status").asText()).as("bad posts spend nothing").isEqualTo("waiting");

    assertThat(postTo(url, "application/json", "{\"video\":\"v.mp4\"}").status()).isEqualTo(202);
    assertProblem(postTo(url, "application/json", "{\"again\":true}"), 409);
    secondPostDone.countDown();
    JsonNode done = server.awaitFinished(id);

    assertThat(done.path("status").asText()).isEqualTo("succeeded");
    JsonNode second = bodyOf(target.received(path).get(1));
    assertThat(second.path("state").path("step").asText()).isEqualTo("transcode");
    assertThat(second.path("callback").path("body")).isEqualTo(parse("{\"video\":\"v.mp4\"}"));
    assertThat(second.path("callback").path("receivedAt").isTextual()).isTrue();
    assertThat(target.received(path)).hasSize(2);
    assertProblem(postTo(url, "application/json", "{}"), 410);
  }

  @Test
  void an_await_that_ends_calls_with_timed_out() {
    String path = path("timeout");
    target.onSequence(path, continuing("await=300ms", "{}"), Reply.ok("{}"));

    String id = server.createTask(json("{'callbackUrl':'%s'}", target.url(path)));
    assertThat(server.awaitFinished(id).path("status").asText()).isEqualTo("succeeded");

    List<Received> calls = target.received(path);
    assertThat(bodyOf(calls.get(1)).path("callback")).isEqualTo(parse("{\"timedOut\":true}"));
    assertThat(millisBetween(calls.get(0).at(), calls.get(1).at())).isGreaterThanOrEqualTo(250);
  }

  @Test
  void a_callback_posted_before_the_call_answers_is_kept() {
    String path = path("early");
    target.on(
        path,
        call -> {
          if (call.header("Offload-Continuation") != null) return Reply.ok(call.body());
          Answer early =
              postTo(call.header("Offload-Callback-Url"), "application/json", "{\"fast\":true}");
          assertThat(early.status()).isEqualTo(202);
          return continuing("await=1h", "{}");
        });

    String id = server.createTask(json("{'callbackUrl':'%s'}", target.url(path)));

    assertThat(server.awaitFinished(id).path("status").asText()).isEqualTo("succeeded");
    assertThat(bodyOf(target.received(path).get(1)).path("callback").path("body"))
        .isEqualTo(parse("{\"fast\":true}"));
  }

  @Test
  void a_failed_call_is_retried_from_the_same_state_with_a_fresh_budget() {
    String path = path("retry");
    target.onSequence(
        path,
        continuing("", "{\"s\":1}"),
        Reply.status(500),
        continuing("", "{\"s\":2}"),
        Reply.status(503),
        Reply.ok("{}"));

    String id =
        server.createTask(
            json("{'callbackUrl':'%s','retries':1,%s}", target.url(path), FAST_FIXED));
    JsonNode task = server.awaitFinished(id);

    assertThat(task.path("status").asText())
        .as("one retry per call, not per task")
        .isEqualTo("succeeded");
    assertThat(task.path("attempts").asInt()).isEqualTo(5);
    assertThat(texts(attempts(id), "outcome"))
        .containsExactly("continued", "http_error", "continued", "http_error", "succeeded");
    List<Received> calls = target.received(path);
    assertThat(bodyOf(calls.get(1)).path("state")).isEqualTo(bodyOf(calls.get(2)).path("state"));
    assertThat(bodyOf(calls.get(3)).path("state")).isEqualTo(parse("{\"s\":2}"));
    assertThat(calls)
        .extracting(c -> c.header("Offload-Continuation"))
        .containsExactly(null, "1", "1", "2", "2");
  }

  @Test
  void cancel_works_while_waiting_and_spends_the_callback() {
    String path = path("cancel");
    AtomicReference<String> callbackUrl = new AtomicReference<>();
    target.on(
        path,
        call -> {
          callbackUrl.set(call.header("Offload-Callback-Url"));
          return continuing("await=1h", "{}");
        });

    String id = server.createTask(json("{'callbackUrl':'%s'}", target.url(path)));
    awaitStatus(id, "waiting");
    Answer cancelled = cancel(id);

    assertThat(cancelled.status()).isEqualTo(200);
    assertThat(cancelled.body().path("status").asText()).isEqualTo("cancelled");
    assertProblem(postTo(callbackUrl.get(), "application/json", "{}"), 410);
    assertThat(target.received(path)).hasSize(1);
  }

  @Test
  void cancel_works_while_sleeping() {
    String path = path("cancel-sleep");
    target.on(path, continuing("after=1h", "{}"));

    String id = server.createTask(json("{'callbackUrl':'%s'}", target.url(path)));
    awaitStatus(id, "scheduled");

    assertThat(cancel(id).body().path("status").asText()).isEqualTo("cancelled");
    assertThat(target.received(path)).hasSize(1);
  }

  @Test
  void max_continuations_stops_the_chain() {
    String path = path("forever");
    AtomicInteger calls = new AtomicInteger();
    target.on(path, call -> continuing("", "{\"n\":" + calls.incrementAndGet() + "}"));

    String id =
        server.createTask(json("{'callbackUrl':'%s','maxContinuations':2}", target.url(path)));
    JsonNode task = server.awaitFinished(id);

    assertThat(task.path("status").asText()).isEqualTo("failed");
    assertThat(task.path("lastError").asText()).contains("maxContinuations (2)");
    assertThat(task.path("continuations").asInt()).isEqualTo(2);
    assertThat(target.received(path)).hasSize(3);
  }

  @Test
  void a_bad_continue_header_fails_the_task_quoting_it() {
    for (String bad : List.of("after=soon", "later", "await=400d", "after")) {
      String path = path("bad");
      target.on(path, continuing(bad, "{}"));

      String id =
          server.createTask(
              json("{'callbackUrl':'%s','retries':3,%s}", target.url(path), FAST_FIXED));
      JsonNode task = server.awaitFinished(id);

      assertThat(task.path("status").asText()).isEqualTo("failed");
      assertThat(task.path("lastError").asText()).contains("\"" + bad + "\"");
      assertThat(target.received(path)).as("not retried").hasSize(1);
    }
  }

  @Test
  void a_state_that_is_not_json_fails_the_task_quoting_it() {
    String path = path("notjson");
    target.on(
        path,
        new Reply(
            200,
            Map.of("Content-Type", "text/plain", "Offload-Continue", ""),
            "row 40 of 900",
            Duration.ZERO));

    String id = server.createTask(json("{'callbackUrl':'%s'}", target.url(path)));
    JsonNode task = server.awaitFinished(id);

    assertThat(task.path("status").asText()).isEqualTo("failed");
    assertThat(task.path("lastError").asText()).contains("not JSON").contains("row 40 of 900");
  }

  @Test
  void a_target_that_never_continues_sees_no_change() {
    String path = path("plain");
    target.on(path, Reply.ok("{\"ok\":1}"));

    String id = server.createTask(json("{'callbackUrl':'%s','payload':{'a':1}}", target.url(path)));
    JsonNode task = server.awaitFinished(id);

    assertThat(task.path("continuations").asInt()).isZero();
    assertThat(task.path("state").isNull()).isTrue();
    assertThat(bodyOf(target.received(path).get(0))).isEqualTo(parse("{\"a\":1}"));
    assertThat(target.received(path).get(0).header("Offload-Continuation")).isNull();
  }
}
