package dev.offload.dispatch;

import dev.offload.sign.Signer;
import dev.offload.sign.TaskTokens;
import dev.offload.store.Completion;
import dev.offload.store.PushClaims;
import dev.offload.task.AttemptOutcome;
import dev.offload.task.FinishedAttempt;
import dev.offload.task.Task;
import dev.offload.task.TaskId;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
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
  private final CallsInFlight inFlight;
  private final Wakeup wakeup;
  private final Thread claimLoop;
  private final CommitPace claimPace;
  private final AtomicBoolean started = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile boolean claiming = true;

  /**
   * Set while the claim loop sleeps because every slot is taken: only then does a finished call
   * wake it.
   */
  private volatile boolean waitingForRoom;

  private volatile boolean recording = true;

  /**
   * The URL of the last call, parsed: calls in a row mostly go to one target, and parsing its URL
   * for each was a noticeable part of the claim thread's work. Read and written by the claim thread
   * only.
   */
  private URI lastTarget;

  /** When the claim loop last looked for due tasks; null before its first round. */
  private volatile Instant lastClaimAt;

  /**
   * {@code wakeup} is the claim loop's doorbell and {@code inFlight} holds its calls; both are made
   * first, for those who wake the loop or abort a call. {@code listener} hears of attempts.
   */
  public Dispatcher(
      PushClaims store,
      Completion completion,
      HttpInvoker invoker,
      Signer signer,
      TaskTokens tokens,
      DispatchConfig config,
      Clock clock,
      AttemptListener listener,
      Continuations continuations,
      Wakeup wakeup,
      CallsInFlight inFlight) {
    this.store = store;
    this.invoker = invoker;
    this.signer = signer;
    this.tokens = tokens;
    this.config = config;
    this.clock = clock;
    this.completer = new AttemptCompleter(completion, listener, CommitPace.of(config.commitPace()));
    this.claimPace = CommitPace.of(config.commitPace());
    this.listener = listener;
    this.continuations = continuations;
    this.wakeup = wakeup;
    this.inFlight = inFlight;
    this.claimLoop = Thread.ofPlatform().name("offload-claim").daemon().unstarted(this::claimLoop);
  }

  /** Starts writing finished attempts and claiming; once. */
  public void start() {
    if (!started.compareAndSet(false, true)) return;
    completer.start();
    claimLoop.start();
  }

  /**
   * The time of the claim loop's last finished round: every task due and claimable then was
   * claimed. Tests wait for a round after a change instead of sleeping; empty before the first.
   */
  public Optional<Instant> lastClaimAt() {
    return Optional.ofNullable(lastClaimAt);
  }

  /**
   * Whether this node still has work on {@code id}: its call is in flight, or its finished attempt
   * is not stored yet. Its lease is this node's to keep until then.
   */
  boolean holdsLease(TaskId id) {
    return inFlight.contains(id) || completer.isPending(id);
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
          claimPace.awaitTurn();
          Instant now = clock.instant();
          List<Task> claimed = store.claimDue(config.nodeId(), now, want, config.leaseTimeout());
          claimed.forEach(this::start);
          if (claimed.size() == want) continue;
          lastClaimAt = now;
        }
        if (room > 0) {
          if (!wakeup.takeRings()) wakeup.await(untilNextDue());
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
        log.warn(
            "claim loop: {}; trying again in {}ms",
            e.getMessage(),
            config.pollInterval().toMillis());
        sleepQuietly(config.pollInterval());
      }
    }
  }

  private Duration untilNextDue() {
    Duration poll = config.pollInterval();
    return store
        .nextDueAt(clock.instant())
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
      finish(
          task,
          new Outcome.NonRetryable(
              AttemptOutcome.CONNECTION_ERROR, null, "cannot send the request: " + e.getMessage()));
      return;
    }
    inFlight.add(task.id(), call);
    call.outcome()
        .whenComplete(
            (outcome, failure) -> {
              inFlight.remove(task.id());
              if (!recording) return;
              finish(
                  task,
                  failure == null
                      ? outcome
                      : ResponseClassifier.classifyFailure(failure, task.timeout()));
              if (waitingForRoom || !claiming) wakeup.signal();
            });
  }

  private void finish(Task task, Outcome answered) {
    Outcome outcome = continuations.settle(task, answered);
    completer.submit(outcome.finish(task, config.nodeId(), clock.instant(), null, random));
  }

  private OutgoingRequest request(Task task) {
    byte[] continued = continuations.body(task);
    byte[] body =
        continued != null
            ? continued
            : task.body() == null ? null : task.body().getBytes(StandardCharsets.UTF_8);
    Map<String, String> headers = new LinkedHashMap<>(task.headers());
    headers.put("Offload-Task-Id", task.id().value());
    headers.put("Offload-Attempt", Integer.toString(task.attempts()));
    headers.put("Offload-Queue", task.queue());
    if (task.scheduleName() != null) headers.put("Offload-Schedule", task.scheduleName());
    headers.put("Offload-Task-Token", tokens.tokenFor(task.id()));
    continuations.addHeaders(task, headers);
    signer.addHeaders(headers, task.id() + "_" + task.attempts(), clock.instant(), body);
    String contentType =
        continued != null || task.contentType() == null ? "application/json" : task.contentType();
    return new OutgoingRequest(
        target(task.callbackUrl()), task.method(), headers, body, contentType, task.timeout());
  }

  /** {@code url} parsed; {@link URI#toString()} gives back the string it was parsed from. */
  private URI target(String url) {
    URI last = lastTarget;
    if (last != null && last.toString().equals(url)) return last;
    lastTarget = URI.create(url);
    return lastTarget;
  }

  private static void sleepQuietly(Duration duration) {
    try {
      Thread.sleep(duration);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Stops claiming, lets calls in flight finish for up to the configured shutdown grace, then
   * aborts the rest and puts their tasks back in the queue without spending an attempt, so other
   * nodes (or this one after a restart) take them at once and nobody's retries are eaten by a
   * deploy. Once.
   */
  @Override
  public void close() throws InterruptedException {
    if (!closed.compareAndSet(false, true)) return;
    Duration grace = config.shutdownGrace();
    claiming = false;
    claimLoop.interrupt();
    if (claimLoop.isAlive()) claimLoop.join(5_000);
    if (inFlight.isEmpty()) log.info("stopping: claiming no more tasks; no calls in flight");
    else
      log.info(
          "stopping: claiming no more tasks; waiting up to {}ms for {} calls in flight to finish",
          grace.toMillis(),
          inFlight.size());
    long deadline = System.nanoTime() + grace.toNanos();
    while (!inFlight.isEmpty() && System.nanoTime() < deadline) {
      wakeup.await(
          Duration.ofMillis(
              Math.min(100, Math.max(1, (deadline - System.nanoTime()) / 1_000_000))));
    }
    recording = false;
    if (!inFlight.isEmpty())
      log.info(
          "aborting {} calls still in flight after the {}ms grace period",
          inFlight.size(),
          grace.toMillis());
    inFlight.abortAll();
    completer.close();
    try {
      int released = store.releaseLeases(config.nodeId(), clock.instant());
      if (released > 0) log.info("put {} running tasks back in the queue", released);
    } catch (RuntimeException e) {
      log.warn(
          "cannot release leases at stop; they come back when they expire: {}", e.getMessage());
    }
  }
}
