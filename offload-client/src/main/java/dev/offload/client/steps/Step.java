package dev.offload.client.steps;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.Consumer;

/**
 * The steps of one call: a step that finished in an earlier call returns its stored result and does
 * not run again. {@link #sleep} and {@link #waitForCallback} end the call; so does a step that
 * might not finish within the budget.
 */
public final class Step {
  private final ObjectMapper mapper;
  private final ObjectNode state;
  private final ObjectNode done;
  private final JsonNode callback;
  private final String callbackUrl;
  private final long startedNanos;
  private final long budgetNanos;
  private int ranHere;
  private long longestNanos;

  Step(
      ObjectMapper mapper,
      ObjectNode state,
      JsonNode callback,
      String callbackUrl,
      long startedNanos,
      Duration budget) {
    this.mapper = mapper;
    this.state = state;
    this.done =
        state.has("done") && state.get("done").isObject()
            ? (ObjectNode) state.get("done")
            : state.putObject("done");
    this.callback = callback;
    this.callbackUrl = callbackUrl;
    this.startedNanos = startedNanos;
    this.budgetNanos = budget.toNanos();
  }

  /**
   * The result of step {@code name} as {@code type}: stored from an earlier call, or {@code
   * work.call()} once.
   */
  public <T> T run(String name, Class<T> type, Callable<T> work) throws Exception {
    if (!done.has(name)) {
      checkBudget();
      long before = System.nanoTime();
      T value = work.call();
      longestNanos = Math.max(longestNanos, System.nanoTime() - before);
      ranHere++;
      done.set(name, mapper.valueToTree(value));
    }
    return mapper.treeToValue(done.get(name), type);
  }

  /** Sleeps {@code duration} (up to 365 days) between calls: nothing runs or is held meanwhile. */
  public void sleep(String name, Duration duration) {
    if (done.has(name)) return;
    done.put(name, true);
    throw new Suspend("after=" + duration.toMillis() + "ms");
  }

  /**
   * Gives this call's callback URL to {@code start} once (start the outside work there), ends the
   * call, and returns the JSON later POSTed to that URL. Throws {@link CallbackTimeoutException}
   * when nothing came within {@code timeout}.
   */
  public JsonNode waitForCallback(String name, Duration timeout, Consumer<String> start) {
    if (!done.has(name) && name.equals(state.path("awaiting").asText(null)) && callback != null) {
      ObjectNode outcome = done.putObject(name);
      if (callback.path("timedOut").asBoolean()) outcome.put("timedOut", true);
      else outcome.set("body", callback.path("body"));
      state.remove("awaiting");
    }
    if (done.has(name)) {
      if (done.get(name).path("timedOut").asBoolean()) throw new CallbackTimeoutException(name);
      return done.get(name).path("body");
    }
    if (callbackUrl == null)
      throw new IllegalStateException(
          "waitForCallback needs the Offload-Callback-Url header of a call from Offload");
    start.accept(callbackUrl);
    state.put("awaiting", name);
    throw new Suspend("await=" + timeout.toMillis() + "ms");
  }

  private void checkBudget() {
    if (ranHere > 0 && System.nanoTime() - startedNanos + longestNanos > budgetNanos)
      throw new Suspend("");
  }

  /**
   * Ends the call with {@code Offload-Continue: directive}; never meant for the handler to catch.
   */
  static final class Suspend extends RuntimeException {
    final String directive;

    Suspend(String directive) {
      super("continue: " + directive, null, false, false);
      this.directive = directive;
    }
  }
}
