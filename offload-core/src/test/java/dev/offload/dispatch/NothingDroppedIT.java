package dev.offload.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.offload.net.TargetGuard;
import dev.offload.sign.CallbackTokens;
import dev.offload.sign.Signer;
import dev.offload.sign.TaskTokens;
import dev.offload.store.Completion;
import dev.offload.store.JdbcStore;
import dev.offload.store.SqliteDialect;
import dev.offload.store.StoreException;
import dev.offload.store.Webhooks;
import dev.offload.task.AttemptOutcome;
import dev.offload.task.FinishedAttempt;
import dev.offload.task.NewTask;
import dev.offload.task.TaskBatch;
import dev.offload.task.TaskId;
import dev.offload.task.TaskJson;
import dev.offload.task.TaskStatus;
import dev.offload.task.WebhookState;
import dev.offload.testing.FaultyStore;
import dev.offload.testing.RawTarget;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Storage failing where nobody expects it: every finished call is still recorded and every task
 * finishes, well before a lease (60 s here) could run out and hide a lost result.
 */
class NothingDroppedIT {
  private static final Duration LEASE = Duration.ofSeconds(60);
  private static final String OK =
      "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok";

  @TempDir Path dir;
  private JdbcStore real;
  private RawTarget target;
  private HttpInvoker invoker;
  private final List<AutoCloseable> running = new ArrayList<>();
  private final AtomicInteger webhookCalls = new AtomicInteger();

  @BeforeEach
  void open() {
    real = JdbcStore.open(new SqliteDialect(dir.resolve("offload.db"), false));
    target =
        new RawTarget()
            .answering(
                head -> {
                  if (head.startsWith("POST /hook")) webhookCalls.incrementAndGet();
                  return OK;
                });
    invoker =
        new HttpInvoker(
            new InvokerConfig(
                Duration.ofSeconds(2), 16, 1_000, 1 << 20, 8, "Offload/test", TargetGuard.off()),
            Clock.systemUTC());
    invoker.start();
  }

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable closeable : running.reversed()) closeable.close();
    invoker.close();
    target.close();
    real.close();
  }

  private void startDispatcher(Completion completion) {
    Dispatcher dispatcher =
        new Dispatcher(
            real.pushClaims(),
            completion,
            invoker,
            Signer.none(),
            new TaskTokens(new byte[32]),
            new DispatchConfig(
                "node-a",
                LEASE,
                100,
                50,
                Duration.ofMillis(200),
                Duration.ZERO,
                DispatchConfig.DEFAULT_COMMIT_PACE),
            Clock.systemUTC(),
            attempts -> {},
            new Continuations(new CallbackTokens(new byte[32]), 1_024 * 1_024),
            new Wakeup(Clock.systemUTC()),
            new CallsInFlight());
    LeaseKeeper leases = new LeaseKeeper(real.pushClaims(), dispatcher, LEASE, Clock.systemUTC());
    running.add(dispatcher);
    running.add(leases);
    dispatcher.start();
    leases.start();
  }

  private List<TaskId> create(int count, URI webhook) {
    List<NewTask> tasks = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      tasks.add(
          NewTask.builder().callbackUrl(target.url("http", "/work")).webhookUrl(webhook).build());
    }
    real.inserts().create(List.of(new TaskBatch(tasks)), Instant.now(), Duration.ofHours(1));
    return tasks.stream().map(NewTask::id).toList();
  }

  /**
   * Fails the first {@code times} calls of {@code method} for which {@code when} holds, with {@code
   * failure}.
   */
  private static BiFunction<String, Object[], RuntimeException> failFirst(
      String method,
      int times,
      java.util.function.Predicate<Object[]> when,
      RuntimeException failure) {
    AtomicInteger left = new AtomicInteger(times);
    return (name, args) ->
        name.equals(method) && when.test(args) && left.getAndDecrement() > 0 ? failure : null;
  }

  @Test
  void
      finished_attempts_whose_write_fails_unexpectedly_are_written_later_and_every_task_finishes() {
    List<TaskId> ids = create(30, null);
    TaskId poisoned = ids.get(7);
    BiFunction<String, Object[], RuntimeException> anyBatch =
        failFirst(
            "finish",
            2,
            args -> true,
            new IllegalStateException("injected: a bug anywhere in the write"));
    BiFunction<String, Object[], RuntimeException> onePoisoned =
        failFirst(
            "finish",
            4,
            args ->
                ((List<?>) args[0])
                    .stream()
                        .anyMatch(a -> ((FinishedAttempt) a).attempt().taskId().equals(poisoned)),
            new IllegalArgumentException("injected: something about this one attempt"));
    startDispatcher(
        FaultyStore.around(
            Completion.class,
            real.completion(),
            (name, args) -> {
              RuntimeException first = anyBatch.apply(name, args);
              return first != null ? first : onePoisoned.apply(name, args);
            }));

    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                assertThat(ids)
                    .allSatisfy(
                        id ->
                            assertThat(real.tasks().find(id).orElseThrow().status())
                                .isEqualTo(TaskStatus.SUCCEEDED)));
    assertThat(ids)
        .allSatisfy(
            id ->
                assertThat(real.tasks().attempts(id))
                    .extracting(a -> a.outcome())
                    .as("one call each, recorded once; no lease ran out")
                    .containsExactly(AttemptOutcome.SUCCEEDED));
  }

  @Test
  void a_delivered_webhook_is_recorded_once_storage_answers_again_and_is_not_sent_twice()
      throws Exception {
    Webhooks flaky =
        FaultyStore.around(
            Webhooks.class,
            real.webhooks(),
            failFirst(
                "recordWebhook",
                3,
                args -> true,
                new StoreException("injected: database unreachable", null)));
    startDispatcher(real.completion());
    WebhookSender webhooks =
        new WebhookSender(
            flaky,
            invoker,
            Signer.none(),
            new TaskJson(new ObjectMapper()),
            new WebhookConfig(5, WebhookConfig.DEFAULT_BACKOFF, Duration.ofSeconds(10)),
            Duration.ofMillis(100),
            Clock.systemUTC(),
            new Wakeup(Clock.systemUTC()));
    running.add(webhooks);
    webhooks.start();
    TaskId id = create(1, URI.create(target.url("http", "/hook"))).getFirst();

    // The claim of a delivery lasts twice its 10 s timeout: a result lost on the way would show
    // only after 20 s.
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                real.tasks().find(id).orElseThrow().webhook().status()
                    == WebhookState.Delivery.DELIVERED);
    assertThat(webhookCalls).hasValue(1);
    assertThat(real.tasks().find(id).orElseThrow().webhook().attempts()).isEqualTo(1);
  }
}
