package dev.offload.dispatch;

import dev.offload.sign.Signer;
import dev.offload.store.Webhooks;
import dev.offload.task.Task;
import dev.offload.task.TaskJson;
import dev.offload.task.WebhookResult;
import dev.offload.task.WebhookState;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers completion webhooks. Pending deliveries live in storage (claimed with a lease of twice
 * the call timeout), so a crash or a restart only delays them. How each call went is written by the
 * sender's own loop, not on the HTTP client's thread, and kept until storage takes it: a delivered
 * webhook whose result could not be written would otherwise be sent again.
 */
public final class WebhookSender implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(WebhookSender.class);
  private static final int CLAIM_BATCH = 64;

  private final Webhooks store;
  private final HttpInvoker invoker;
  private final Signer signer;
  private final TaskJson json;
  private final WebhookConfig config;
  private final Duration pollInterval;
  private final Clock clock;
  private final RandomGenerator random = RandomGenerator.getDefault();
  private final Wakeup wakeup;
  private final ConcurrentLinkedQueue<WebhookResult> results = new ConcurrentLinkedQueue<>();
  private final Thread loop;
  private final AtomicBoolean started = new AtomicBoolean();
  private volatile boolean running = true;

  /**
   * {@code wakeup} is the sender's doorbell, made first for those who ring it when a task finishes.
   */
  public WebhookSender(
      Webhooks store,
      HttpInvoker invoker,
      Signer signer,
      TaskJson json,
      WebhookConfig config,
      Duration pollInterval,
      Clock clock,
      Wakeup wakeup) {
    this.store = store;
    this.invoker = invoker;
    this.signer = signer;
    this.json = json;
    this.config = config;
    this.pollInterval = pollInterval;
    this.clock = clock;
    this.wakeup = wakeup;
    this.loop = Thread.ofPlatform().name("offload-webhooks").daemon().unstarted(this::run);
  }

  /** Starts delivering; once. */
  public void start() {
    if (started.compareAndSet(false, true)) loop.start();
  }

  private void run() {
    while (running) {
      try {
        recordResults();
        Duration untilDue = untilNextDue();
        if (!untilDue.isZero()) {
          wakeup.await(untilDue);
          continue;
        }
        List<Task> due =
            store.claimDueWebhooks(clock.instant(), CLAIM_BATCH, config.timeout().multipliedBy(2));
        due.forEach(this::deliver);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        log.warn("webhook loop: {}", e.getMessage());
        try {
          wakeup.await(pollInterval);
        } catch (InterruptedException interrupted) {
          return;
        }
      }
    }
  }

  /**
   * Writes how finished calls went, oldest first; one that fails stays queued with those after it.
   */
  private void recordResults() {
    for (WebhookResult result = results.peek(); result != null; result = results.peek()) {
      store.recordWebhook(result);
      results.poll();
    }
  }

  /**
   * Zero when a delivery is due; checked with a read so an idle sender never takes the write lock.
   */
  private Duration untilNextDue() {
    return store
        .nextWebhookDueAt()
        .map(due -> Duration.between(clock.instant(), due))
        .map(
            wait ->
                wait.isNegative()
                    ? Duration.ZERO
                    : wait.compareTo(pollInterval) < 0 ? wait : pollInterval)
        .orElse(pollInterval);
  }

  private void deliver(Task task) {
    byte[] body = json.webhookBody(task);
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Offload-Task-Id", task.id().value());
    headers.put("Offload-Event", "task." + task.status().wire());
    signer.addHeaders(headers, task.id() + "_done_" + task.attempts(), clock.instant(), body);
    int attempt = task.webhook().attempts() + 1;
    HttpInvoker.Call call;
    try {
      call =
          invoker.send(
              new OutgoingRequest(
                  URI.create(task.webhook().url()),
                  "POST",
                  headers,
                  body,
                  "application/json",
                  config.timeout()));
    } catch (RuntimeException e) {
      results.add(failed(task, attempt, "cannot send the webhook: " + e.getMessage()));
      return;
    }
    call.outcome()
        .whenComplete(
            (outcome, failure) -> {
              if (failure == null
                  && (outcome instanceof Outcome.Succeeded
                      || outcome instanceof Outcome.Continued)) {
                log.info(
                    "webhook of task {} delivered to {} (attempt {})",
                    task.id(),
                    task.webhook().url(),
                    attempt);
                results.add(
                    new WebhookResult(
                        task.id(), WebhookState.Delivery.DELIVERED, attempt, null, null));
              } else {
                String error =
                    failure != null
                        ? failure.getMessage()
                        : switch (outcome) {
                          case Outcome.Retryable r -> r.error();
                          case Outcome.NonRetryable n -> n.error();
                          default -> outcome.kind().wire();
                        };
                results.add(failed(task, attempt, error));
              }
              wakeup.signal();
            });
  }

  private WebhookResult failed(Task task, int attempt, String error) {
    if (attempt >= config.attempts()) {
      log.warn(
          "webhook of task {} to {} failed after {} attempts, giving up: {}",
          task.id(),
          task.webhook().url(),
          attempt,
          error);
      return new WebhookResult(task.id(), WebhookState.Delivery.FAILED, attempt, error, null);
    }
    Instant next = clock.instant().plus(config.backoff().delay(attempt, random));
    log.info(
        "webhook of task {} attempt {} to {} failed: {}; trying again at {}",
        task.id(),
        attempt,
        task.webhook().url(),
        error,
        next);
    return new WebhookResult(task.id(), WebhookState.Delivery.PENDING, attempt, error, next);
  }

  /** Stops delivering and writes the results it holds; idempotent. */
  @Override
  public void close() throws InterruptedException {
    running = false;
    loop.interrupt();
    if (loop.isAlive()) loop.join(5_000);
    try {
      recordResults();
    } catch (RuntimeException e) {
      log.warn(
          "{} webhook results not recorded at stop; those deliveries are sent again: {}",
          results.size(),
          e.getMessage());
    }
  }
}
