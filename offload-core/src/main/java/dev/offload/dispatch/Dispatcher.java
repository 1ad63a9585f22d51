package dev.offload.dispatch;

import dev.offload.sign.Signer;
import dev.offload.sign.TaskTokens;
import dev.offload.store.Completion;
import dev.offload.store.PushClaims;
import dev.offload.task.Attempt;
import dev.offload.task.AttemptOutcome;
import dev.offload.task.FinishedAttempt;
import dev.offload.task.Task;
import dev.offload.task.TaskId;
import dev.offload.task.TaskResult;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Claims due push tasks and calls their targets. The claim loop sleeps until the next task is due
 * or until it is woken (new work, a freed slot, a retry scheduled); calls run asynchronously, so
 * one slow target never holds up the others, and no database connection is held during a call.
 */
public final class Dispatcher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);
  private static final int EXCERPT_CHARS = 1_000;

  private final PushClaims store;
  private final HttpInvoker invoker;
  private final Signer signer;
  private final TaskTokens tokens;
  private final DispatchConfig config;
  private final Clock clock;
  private final AttemptCompleter completer;
  private final AttemptListener listener;
  private final Continuations continuations;
  private final RandomGenerator random = RandomGenerator.getDefault();
  private final Map<TaskId, HttpInvoker.Call> inFlight = new ConcurrentHashMap<>();
  private final Wakeup wakeup = new Wakeup();
  private final Thread claimLoop;
  private volatile boolean claiming = true;
  /** Set while the claim loop sleeps because every slot is taken: only then does a finished call wake it. */
  private volatile boolean waitingForRoom;
  /** When the sleeping claim loop means to look again; MAX while it works, so every wake counts. */
  private volatile long plannedWakeMillis = Long.MAX_VALUE;
  private volatile boolean recording = true;


  public Dispatcher(PushClaims store, Completion completion, HttpInvoker invoker, Signer signer, TaskTokens tokens,
      DispatchConfig config, Clock clock, AttemptListener listener, Continuations continuations) {
    this.store = store;
    this.invoker = invoker;
    this.signer = signer;
    this.tokens = tokens;
    this.config = config;
    this.clock = clock;
    this.completer = new AttemptCompleter(completion, listener);
    this.listener = listener;
    this.continuations = continuations;
    this.claimLoop = Thread.ofPlatform().name("offload-claim").daemon().unstarted(this::claimLoop);
  }

  /** Starts claiming; separate from construction so start-up can first put orphaned tasks back. */
  public void start() {
    claimLoop.start();
  }

  /** Something may have become due: look now rather than at the next planned time. */
  public void wake() {
    wakeup.signal();
  }

  /** New work due at {@code dueAt}: wakes the loop only if it planned to sleep past that time. */
  public void wakeFor(Instant dueAt) {
    if (dueAt.toEpochMilli() < plannedWakeMillis) wakeup.signal();
  }

  /** Aborts the call in flight for {@code id} on this node, if any. */
  public void abort(TaskId id) {
    HttpInvoker.Call call = inFlight.get(id);
    if (call != null) call.abort();
  }

  /**
   * Whether this node still has work on {@code id}: its call is in flight, or its finished attempt
   * is not stored yet. Its lease is this node's to keep until then.
   */
  boolean holdsLease(TaskId id) {
    return inFlight.containsKey(id) || completer.isPending(id);
  }

  /** Whether this node holds any lease it must keep renewing. */
  boolean holdsLeases() {
    return !inFlight.isEmpty() || completer.pendingCount() > 0;
  }

  String nodeId() {
    return config.nodeId();
  }

  void submitFinished(FinishedAttempt attempt) {
    completer.submit(attempt);
  }

  private void claimLoop() {
    while (claiming) {
      try {
        int room = config.maxInFlight() - inFlight.size();
        if (room > 0) {
          int want = Math.min(room, config.claimBatch());
          List<Task> claimed = store.claimDue(config.nodeId(), clock.instant(), want, config.leaseTimeout());
          claimed.forEach(this::start);
          if (claimed.size() == want) continue;
        }
        if (room > 0) {
          Duration sleep = untilNextDue();
          plannedWakeMillis = clock.millis() + sleep.toMillis();
          wakeup.await(sleep);
          plannedWakeMillis = Long.MAX_VALUE;
        } else {
          waitingForRoom = true;
          // Checked after the flag is up, so a call finishing in between still wakes the loop.
          if (inFlight.size() >= config.maxInFlight()) wakeup.await(config.pollInterval());
          waitingForRoom = false;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        log.warn("claim loop: {}; trying again in {}ms", e.getMessage(), config.pollInterval().toMillis());
        sleepQuietly(config.pollInterval());
      }
    }
  }

  private Duration untilNextDue() {
    Duration poll = config.pollInterval();
    return store.nextDueAt(clock.instant())
        .map(due -> Duration.between(clock.instant(), due))
        .map(wait -> wait.compareTo(poll) < 0 ? wait : poll)
        .orElse(poll);
  }

  private void start(Task task) {
    listener.started(task);
    HttpInvoker.Call call;
    try {
      call = invoker.send(request(task));
    } catch (RuntimeException e) {
      finish(task, new Outcome.NonRetryable(AttemptOutcome.CONNECTION_ERROR, null,
          "cannot send the request: " + e.getMessage()));
      return;
    }
    inFlight.put(task.id(), call);
    call.outcome().whenComplete((outcome, failure) -> {
      inFlight.remove(task.id());
      if (!recording) return;
      finish(task, failure == null ? outcome : ResponseClassifier.classifyFailure(failure, task.timeout()));
      if (waitingForRoom || !claiming) wakeup.signal();
    });
  }

  private void finish(Task task, Outcome answered) {
    Instant now = clock.instant();
    Outcome outcome = continuations.settle(task, answered);
    TaskResult response = outcome.response();
    String error = switch (outcome) {
      case Outcome.Retryable r -> r.error();
      case Outcome.NonRetryable n -> n.error();
      case Outcome.Aborted a -> "cancelled while running";
      case Outcome.Succeeded s -> null;
      case Outcome.Continued c -> null;
    };
    Attempt attempt = new Attempt(task.id(), task.attempts(), task.attemptStartedAt(), now, outcome.kind(),
        response == null ? null : response.statusCode(), error, excerpt(response), config.nodeId());
    completer.submit(new FinishedAttempt(
        attempt, config.nodeId(), Transitions.after(task, outcome, now, random), null, task.queue()));
  }

  private static String excerpt(TaskResult response) {
    if (response == null || response.body() == null) return null;
    String body = response.body();
    return body.length() <= EXCERPT_CHARS ? body : body.substring(0, EXCERPT_CHARS);
  }

  private OutgoingRequest request(Task task) {
    byte[] continued = continuations.body(task);
    byte[] body = continued != null ? continued : task.body() == null ? null : task.body().getBytes(StandardCharsets.UTF_8);
    Map<String, String> headers = new LinkedHashMap<>(task.headers());
    headers.put("Offload-Task-Id", task.id().value());
    headers.put("Offload-Attempt", Integer.toString(task.attempts()));
    headers.put("Offload-Queue", task.queue());
    if (task.scheduleName() != null) headers.put("Offload-Schedule", task.scheduleName());
    headers.put("Offload-Task-Token", tokens.tokenFor(task.id()));
    continuations.addHeaders(task, headers);
    signer.addHeaders(headers, task.id() + "_" + task.attempts(), clock.instant(), body);
    String contentType = continued != null || task.contentType() == null ? "application/json" : task.contentType();
    return new OutgoingRequest(URI.create(task.callbackUrl()), task.method(), headers, body, contentType, task.timeout());
  }

  private static void sleepQuietly(Duration duration) {
    try {
      Thread.sleep(duration);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Stops claiming, lets calls in flight finish for up to {@code grace}, then aborts the rest and
   * puts their tasks back in the queue without spending an attempt, so other nodes (or this one
   * after a restart) take them at once and nobody's retries are eaten by a deploy.
   */
  public void close(Duration grace) throws InterruptedException {
    claiming = false;
    claimLoop.interrupt();
    if (claimLoop.isAlive()) claimLoop.join(5_000);
    if (inFlight.isEmpty()) log.info("stopping: claiming no more tasks; no calls in flight");
    else log.info("stopping: claiming no more tasks; waiting up to {}ms for {} calls in flight to finish", grace.toMillis(), inFlight.size());
    long deadline = System.nanoTime() + grace.toNanos();
    while (!inFlight.isEmpty() && System.nanoTime() < deadline) {
      wakeup.await(Duration.ofMillis(Math.min(100, Math.max(1, (deadline - System.nanoTime()) / 1_000_000))));
    }
    recording = false;
    if (!inFlight.isEmpty()) log.info("aborting {} calls still in flight after the {}ms grace period", inFlight.size(), grace.toMillis());
    Set.copyOf(inFlight.values()).forEach(HttpInvoker.Call::abort);
    completer.close();
    try {
      int released = store.releaseLeases(config.nodeId(), clock.instant());
      if (released > 0) log.info("put {} running tasks back in the queue", released);
    } catch (RuntimeException e) {
      log.warn("cannot release leases at stop; they come back when they expire: {}", e.getMessage());
    }
  }

  @Override
  public void close() throws InterruptedException {
    close(Duration.ZERO);
  }
}
