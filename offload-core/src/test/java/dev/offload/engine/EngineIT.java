package dev.offload.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.offload.net.TargetGuard;
import dev.offload.store.JdbcStore;
import dev.offload.store.SqliteDialect;
import dev.offload.task.AttemptOutcome;
import dev.offload.task.CreateResult;
import dev.offload.task.NewTask;
import dev.offload.task.Task;
import dev.offload.task.TaskBatch;
import dev.offload.task.TaskId;
import dev.offload.task.TaskStatus;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine as a library, without the HTTP server, on a real SQLite file and a real local target.
 */
class EngineIT {
  @TempDir Path dir;
  private HttpServer target;
  private final Map<String, Instant> firstCallAt = new ConcurrentHashMap<>();
  private volatile CountDownLatch holdCalls = new CountDownLatch(0);

  @BeforeEach
  void startTarget() throws Exception {
    target = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 100);
    target.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    target.createContext(
        "/",
        exchange -> {
          try (exchange) {
            firstCallAt.putIfAbsent(
                exchange.getRequestHeaders().getFirst("Offload-Task-Id"), Instant.now());
            holdCalls.await(30, TimeUnit.SECONDS);
            exchange.sendResponseHeaders(200, -1);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
    target.start();
  }

  @AfterEach
  void stopTarget() {
    target.stop(0);
  }

  private String targetUrl() {
    return "http://127.0.0.1:" + target.getAddress().getPort() + "/work";
  }

  private static EngineConfig config(String node) {
    return config(node, TargetGuard.off());
  }

  private static EngineConfig config(String node, TargetGuard guard) {
    return EngineConfig.builder()
        .nodeId(node)
        .targetGuard(guard)
        .connectTimeout(Duration.ofSeconds(2))
        .shutdownGrace(Duration.ZERO)
        .version("test")
        .build();
  }

  private Engine startEngine(String node) {
    return startEngine(config(node));
  }

  private Engine startEngine(EngineConfig config) {
    return Engine.start(
        config,
        JdbcStore.open(new SqliteDialect(dir.resolve("offload.db"), false)),
        Clock.systemUTC());
  }

  private static TaskId create(Engine engine, NewTask task) throws Exception {
    CreateResult.Created created = (CreateResult.Created) engine.create(TaskBatch.of(task)).get();
    return created.tasks().getFirst().id();
  }

  @Test
  void the_target_guard_refuses_the_connection_itself_not_only_the_create() throws Exception {
    // The task goes in through the engine, past any create-time check, as a name that resolved
    // elsewhere at create time would (DNS rebinding); only loopback is ever dialled here.
    try (Engine engine = startEngine(config("node-a", TargetGuard.refusingPrivate(List.of())))) {
      TaskId id = create(engine, NewTask.builder().callbackUrl(targetUrl()).retries(0).build());
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> engine.find(id).orElseThrow().status() == TaskStatus.FAILED);
      assertThat(engine.attempts(id))
          .singleElement()
          .satisfies(
              attempt -> {
                assertThat(attempt.outcome()).isEqualTo(AttemptOutcome.CONNECTION_ERROR);
                assertThat(attempt.error())
                    .contains("refused by the target guard")
                    .contains("127.0.0.1")
                    .contains("loopback");
              });
      assertThat(firstCallAt).isEmpty();
    }
  }

  @Test
  void the_target_guard_lets_allowed_blocks_through() throws Exception {
    try (Engine engine =
        startEngine(config("node-a", TargetGuard.refusingPrivate(List.of("127.0.0.0/8"))))) {
      TaskId id = create(engine, NewTask.builder().callbackUrl(targetUrl()).retries(0).build());
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> engine.find(id).orElseThrow().status() == TaskStatus.SUCCEEDED);
      assertThat(firstCallAt).containsKey(id.value());
    }
  }

  @Test
  void a_new_task_starts_at_once_and_delayed_ones_at_their_time_not_at_the_next_poll()
      throws Exception {
    // A poll interval no test waits for: only the wake-up of a create and of a due time can start
    // these calls.
    EngineConfig neverPolls =
        EngineConfig.builder()
            .nodeId("node-a")
            .pollInterval(Duration.ofHours(1))
            .shutdownGrace(Duration.ZERO)
            .version("test")
            .build();
    try (Engine engine = startEngine(neverPolls)) {
      TaskId now = create(engine, NewTask.builder().callbackUrl(targetUrl()).build());
      await().atMost(Duration.ofSeconds(10)).until(() -> firstCallAt.containsKey(now.value()));
      Instant start = Instant.now();
      Map<TaskId, Instant> dueAt = new ConcurrentHashMap<>();
      for (Duration delay :
          List.of(Duration.ofMillis(300), Duration.ofMillis(700), Duration.ofMillis(1_300))) {
        Instant runAt = start.plus(delay);
        dueAt.put(
            create(engine, NewTask.builder().callbackUrl(targetUrl()).runAt(runAt).build()), runAt);
      }
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> dueAt.keySet().stream().allMatch(id -> firstCallAt.containsKey(id.value())));
      dueAt.forEach((id, runAt) -> assertThat(firstCallAt.get(id.value())).isAfterOrEqualTo(runAt));
    }
  }

  @Test
  void a_restart_takes_back_tasks_left_running_by_a_killed_process_at_once() throws Exception {
    TaskId id;
    try (JdbcStore store = JdbcStore.open(new SqliteDialect(dir.resolve("offload.db"), false))) {
      NewTask task = NewTask.builder().callbackUrl(targetUrl()).build();
      store.inserts().create(List.of(TaskBatch.of(task)), Instant.now(), Duration.ofHours(1));
      assertThat(store.pushClaims().claimDue("dead-node", Instant.now(), 10, Duration.ofHours(1)))
          .hasSize(1);
      id = task.id();
    }
    try (Engine engine = startEngine("node-b")) {
      Task finished = engine.awaitTerminal(id, Duration.ofSeconds(10)).orElseThrow();
      assertThat(finished.status()).isEqualTo(TaskStatus.SUCCEEDED);
      assertThat(engine.attempts(id))
          .extracting(a -> a.outcome())
          .containsExactly(AttemptOutcome.LEASE_EXPIRED, AttemptOutcome.SUCCEEDED);
    }
  }

  @Test
  void a_graceful_stop_puts_running_tasks_back_without_spending_an_attempt() throws Exception {
    holdCalls = new CountDownLatch(1);
    TaskId id;
    try (Engine engine = startEngine("node-c")) {
      id = create(engine, NewTask.builder().callbackUrl(targetUrl()).retries(0).build());
      await().atMost(Duration.ofSeconds(10)).until(() -> firstCallAt.containsKey(id.value()));
    }
    holdCalls.countDown();
    try (Engine engine = startEngine("node-d")) {
      Task finished = engine.awaitTerminal(id, Duration.ofSeconds(10)).orElseThrow();
      assertThat(finished.status()).isEqualTo(TaskStatus.SUCCEEDED);
      assertThat(finished.attempts()).isEqualTo(1);
      assertThat(finished.maxAttempts()).isEqualTo(1);
    }
  }
}
