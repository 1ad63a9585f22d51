package dev.offload.engine;

import dev.offload.dispatch.Continuations;
import dev.offload.sign.CallbackTokens;
import dev.offload.store.TaskActions;
import dev.offload.task.ActionResult;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * POSTs to callback URLs ({@code /v1/callbacks/<token>}): each URL works once, for the call it was
 * given to; a task waiting for it goes back to the queue at once, on whichever node hears the POST.
 */
public final class Callbacks {
  /**
   * How a POST ended: taken, an unknown token, already taken or for an older call, the task
   * finished or gone.
   */
  public enum Answer {
    ACCEPTED,
    UNKNOWN,
    SPENT,
    GONE
  }

  private final TaskActions store;
  private final Continuations continuations;
  private final Clock clock;
  private final Runnable newWork;

  Callbacks(TaskActions store, Continuations continuations, Clock clock, Runnable newWork) {
    this.store = store;
    this.continuations = continuations;
    this.clock = clock;
    this.newWork = newWork;
  }

  /**
   * Sets the base of the callback URLs given to targets, e.g. {@code https://offload.example.com}.
   */
  public void base(String base) {
    continuations.callbackBase(base);
  }

  /** Whether {@code token} is one this cluster issued (whatever became of its call since). */
  public boolean knows(String token) {
    return continuations.tokens().read(token).isPresent();
  }

  /**
   * Takes {@code bodyJson} (well-formed JSON, within the payload limit) posted with {@code token}.
   */
  public Answer post(String token, String bodyJson) {
    Optional<CallbackTokens.Ref> ref = continuations.tokens().read(token);
    if (ref.isEmpty()) return Answer.UNKNOWN;
    Instant now = clock.instant();
    String callback = "{\"body\":" + bodyJson + ",\"receivedAt\":\"" + now + "\"}";
    return switch (store.postCallback(ref.get().taskId(), ref.get().call(), callback, now)) {
      case ActionResult.Done done -> {
        newWork.run();
        yield Answer.ACCEPTED;
      }
      case ActionResult.WrongState wrong ->
          wrong.task().status().isTerminal() ? Answer.GONE : Answer.SPENT;
      case ActionResult.NotFound notFound -> Answer.GONE;
    };
  }
}
