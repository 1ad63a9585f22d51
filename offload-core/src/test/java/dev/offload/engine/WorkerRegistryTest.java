package dev.offload.engine;

import static dev.offload.task.TestTasks.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.offload.cluster.WorkerHolding;
import dev.offload.cluster.WorkerInfo;
import dev.offload.dispatch.WorkerLeases;
import dev.offload.engine.WorkerRegistry.WorkerStatus;
import dev.offload.store.JdbcStore;
import dev.offload.store.SqliteDialect;
import dev.offload.store.StoreException;
import dev.offload.store.WorkerSightings;
import dev.offload.task.NewTask;
import dev.offload.task.PullClaim;
import dev.offload.task.Task;
import dev.offload.task.TaskBatch;
import dev.offload.testing.FaultyStore;
import dev.offload.testing.SettableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The worker registry of one node on a real SQLite store, its clock moved by hand. */
class WorkerRegistryTest {
  @TempDir Path tempDir;
  private final SettableClock clock = new SettableClock(T0);
  private JdbcStore store;
  private WorkerRegistry registry;

  @BeforeEach
  void open() {
    store = JdbcStore.open(new SqliteDialect(tempDir.resolve("offload.db"), false));
    registry = new WorkerRegistry(store.workers(), clock, "node-a");
  }

  @AfterEach
  void close() throws Exception {
    store.close();
  }

  private static WorkRequest asking(String worker, List<String> names) {
    return new WorkRequest(worker, List.of(), names, 1, Duration.ZERO, WorkRequest.DEFAULT_LEASE);
  }

  @Test
  void polls_cost_no_write_until_a_save_writes_each_worker_once_with_its_last_poll() {
    for (int i = 0; i < 1_000; i++) {
      registry.asked(asking("w1", List.of("mail")));
      clock.tick(Duration.ofMillis(1));
    }
    registry.asked(asking("w1", List.of("mail", "pdf")));

    assertThat(store.workers().workers(10)).as("nothing written yet").isEmpty();
    assertThat(registry.list())
        .extracting(WorkerStatus::info)
        .as("this node lists what it saw at once")
        .containsExactly(
            new WorkerInfo("w1", "node-a", List.of("mail", "pdf"), List.of(), T0.plusSeconds(1)));

    assertThat(registry.save()).isEqualTo(1);

    assertThat(store.workers().workers(10))
        .containsExactly(
            new WorkerInfo("w1", "node-a", List.of("mail", "pdf"), List.of(), T0.plusSeconds(1)));
    assertThat(new WorkerRegistry(store.workers(), clock, "node-b").list())
        .as("another node lists it once saved")
        .extracting(s -> s.info().workerId(), s -> s.info().node())
        .containsExactly(tuple("w1", "node-a"));
    assertThat(registry.save()).as("nothing new to save").isZero();
  }

  @Test
  void a_failed_save_keeps_the_workers_for_the_next_one() {
    WorkerRegistry failing =
        new WorkerRegistry(
            FaultyStore.around(
                WorkerSightings.class,
                store.workers(),
                (method, args) ->
                    method.equals("sawWorkers") ? new StoreException("database away", null) : null),
            clock,
            "node-a");
    failing.asked(asking("w1", List.of()));

    assertThatThrownBy(failing::save).isInstanceOf(StoreException.class);
    assertThat(failing.list()).extracting(s -> s.info().workerId()).containsExactly("w1");
  }

  @Test
  void lists_the_newest_first_with_what_each_holds_and_workers_that_hold_tasks_unseen_last() {
    store
        .inserts()
        .create(
            List.of(
                new TaskBatch(
                    List.of(
                        NewTask.builder().name("mail").build(),
                        NewTask.builder().name("mail").build()))),
            T0,
            Duration.ofHours(1));
    List<Task> held =
        store
            .pullLeases()
            .leasePullTasks(
                new PullClaim(
                    WorkerLeases.tokenPrefix("busy"),
                    List.of(),
                    List.of(),
                    T0,
                    1,
                    Duration.ofMinutes(1)));
    store
        .pullLeases()
        .leasePullTasks(
            new PullClaim(
                WorkerLeases.tokenPrefix("unseen"),
                List.of(),
                List.of(),
                T0,
                1,
                Duration.ofMinutes(1)));
    registry.asked(asking("busy", List.of("mail")));
    registry.save();
    clock.tick(Duration.ofSeconds(3));
    registry.asked(asking("idle", List.of()));

    List<WorkerStatus> workers = registry.list();

    assertThat(workers)
        .extracting(s -> s.info().workerId(), s -> s.holding().count())
        .containsExactly(tuple("idle", 0), tuple("busy", 1), tuple("unseen", 1));
    assertThat(workers.get(1).holding().tasks())
        .containsExactly(new WorkerHolding.HeldTask(held.getFirst().id(), "mail"));
    assertThat(workers.get(2).info().lastSeenAt()).as("only its id is known").isNull();
  }
}
