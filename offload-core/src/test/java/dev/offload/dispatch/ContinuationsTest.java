package dev.offload.dispatch;

import static dev.offload.task.TestTasks.aRunningTask;
import static org.assertj.core.api.Assertions.assertThat;

import dev.offload.sign.CallbackTokens;
import dev.offload.task.AttemptOutcome;
import dev.offload.task.Continuation;
import dev.offload.task.Task;
import dev.offload.task.TaskResult;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ContinuationsTest {
  private final Continuations continuations =
      new Continuations(
          new CallbackTokens("thirty-two bytes of key material".getBytes(StandardCharsets.UTF_8)),
          64);

  private static TaskResult answer(String body, boolean truncated) {
    return new TaskResult(200, "application/json", body, !truncated, truncated);
  }

  private static Task continued(
      int count, int max, String state, boolean awaiting, String callback, Integer step) {
    return aRunningTask()
        .withContinuation(new Continuation(count, max, state, awaiting, callback, step, null))
        .build();
  }

  @Test
  void a_json_answer_continues_and_an_empty_one_carries_a_null_state() {
    assertThat(Continuations.read(answer(" {\"i\":1} ", false), "after=1s"))
        .isEqualTo(
            new Outcome.Continued(
                answer(" {\"i\":1} ", false), ContinueDirective.parse("after=1s"), "{\"i\":1}"));
    assertThat(((Outcome.Continued) Continuations.read(answer("", false), "")).state()).isNull();
  }

  @Test
  void a_bad_header_a_state_that_is_not_json_or_a_cut_body_fails_at_once() {
    assertThat(Continuations.read(answer("{}", false), "after=soon"))
        .isInstanceOfSatisfying(
            Outcome.NonRetryable.class, f -> assertThat(f.error()).contains("\"after=soon\""));
    assertThat(Continuations.read(answer("row 40", false), ""))
        .isInstanceOfSatisfying(
            Outcome.NonRetryable.class,
            f -> assertThat(f.error()).contains("not JSON").contains("row 40"));
    assertThat(Continuations.read(answer("{\"big\":", true), ""))
        .isInstanceOf(Outcome.NonRetryable.class);
  }

  @Test
  void the_limits_of_the_task_refuse_a_continuation() {
    Outcome small = Continuations.read(answer("{}", false), "");
    Outcome large = Continuations.read(answer("{\"s\":\"" + "x".repeat(100) + "\"}", false), "");

    assertThat(continuations.settle(continued(2, 3, null, false, null, null), small))
        .isSameAs(small);
    assertThat(continuations.settle(continued(3, 3, null, false, null, null), small))
        .isInstanceOfSatisfying(
            Outcome.NonRetryable.class,
            f -> {
              assertThat(f.error()).contains("maxContinuations (3)");
              assertThat(f.kind()).isEqualTo(AttemptOutcome.CONTINUED);
            });
    assertThat(continuations.settle(continued(0, 10, null, false, null, null), large))
        .isInstanceOfSatisfying(
            Outcome.NonRetryable.class,
            f -> assertThat(f.error()).contains("limit is 64 (--max-payload)"));
  }

  @Test
  void a_first_call_is_unchanged_and_continued_calls_carry_payload_state_and_callback() {
    assertThat(continuations.body(continued(0, 10, null, false, null, null))).isNull();
    assertThat(text(continuations.body(continued(2, 10, "{\"i\":2}", false, null, null))))
        .isEqualTo("{\"payload\":{\"n\":1},\"state\":{\"i\":2}}");
    assertThat(text(continuations.body(continued(2, 10, "{}", true, "{\"body\":5}", 1))))
        .isEqualTo("{\"payload\":{\"n\":1},\"state\":{},\"callback\":{\"body\":5}}");
    assertThat(text(continuations.body(continued(2, 10, "{}", true, "{\"body\":5}", 0))))
        .as("a callback for an older call is not this await's")
        .endsWith("\"callback\":{\"timedOut\":true}}");
  }

  @Test
  void calls_carry_their_number_and_a_callback_url_of_their_own() {
    continuations.callbackBase("https://offload.example.com/");
    Map<String, String> first = new LinkedHashMap<>();
    Map<String, String> third = new LinkedHashMap<>();
    continuations.addHeaders(continued(0, 10, null, false, null, null), first);
    continuations.addHeaders(continued(2, 10, null, false, null, null), third);

    assertThat(first).doesNotContainKey("Offload-Continuation");
    assertThat(third).containsEntry("Offload-Continuation", "2");
    assertThat(first.get("Offload-Callback-Url"))
        .startsWith("https://offload.example.com/v1/callbacks/tsk_");
    assertThat(third.get("Offload-Callback-Url")).isNotEqualTo(first.get("Offload-Callback-Url"));
  }

  private static String text(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
