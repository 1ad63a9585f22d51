package dev.offload.engine;

import static dev.offload.task.TestTasks.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.offload.cluster.NodeInfo;
import dev.offload.cluster.WorkerInfo;
import dev.offload.store.JdbcStore;
import dev.offload.store.SqliteDialect;
import dev.offload.task.Attempt;
import dev.offload.task.AttemptOutcome;
import dev.offload.task.FinishedAttempt;
import dev.offload.task.NewTask;
import dev.offload.task.Task;
import dev.offload.task.TaskBatch;
import dev.offload.task.TaskQuery;
import dev.offload.task.TaskStatus;
import dev.offload.task.Transition;
import dev.offload.testing.SettableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The purge loop on a real SQLite store, its clock moved by hand (default retention: 7 days for
 * succeeded tasks).
 */
class PurgerTest {
  @TempDir Path tempDir;
  private final SettableClock clock = new SettableClock(T0);
  private JdbcStore store;

  @BeforeEach
  void open() {
    store = JdbcStore.open(new SqliteDialect(tempDir.resolve("offload.db"), false));
  }

  @AfterEach
  void close() throws Exception {
    store.close();
  }

  private void succeed(int count) {
    List<NewTask> tasks =
        IntStream.range(0, count)
            .mapToObj(i -> NewTask.builder().callbackUrl("https://target.example/work").build())
            .toList();
    store.inserts().create(List.of(new TaskBatch(tasks)), clock.instant(), Duration.ofHours(24));
    List<Task> claimed =
        store.pushClaims().claimDue("node-a", clock.instant(), count, Duration.ofMinutes(1));
    store
        .completion()
        .finish(
            claimed.stream()
                .map(
                    t ->
                        new FinishedAttempt(
                            new Attempt(
                                t.id(),
                                t.attempts(),
                                clock.instant(),
                                clock.instant(),
                                AttemptOutcome.SUCCEEDED,
                                200,
                                null,
                                null,
                                "node-a"),
                            t.leaseOwner(),
                            new Transition(TaskStatus.SUCCEEDED, null, null, null)))
                .toList());
  }

  private int taskCount() {
    return store
        .tasks()
        .list(new TaskQuery(null, null, null, TaskQuery.MAX_LIMIT, null))
        .tasks()
        .size();
  }

  @Test
  void a_round_deletes_every_task_past_its_retention_in_batches_and_keeps_the_rest() {
    succeed(120);
    clock.tick(Duration.ofDays(1));
    succeed(7);
    Purger purger = new Purger(store.purges(), clock, 50, true);

    clock.set(T0.plus(Duration.ofDays(7)));
    assertThat(purger.round()).isEqualTo(120);

    assertThat(taskCount()).isEqualTo(7);
    assertThat(purger.round()).isZero();
    purger.close();
  }

  @Test
  void a_round_forgets_nodes_silent_for_more_than_a_day() {
    store.nodes().heartbeat(new NodeInfo("gone", "h", "1", T0, T0, null));
    clock.tick(Duration.ofHours(23));
    store.nodes().heartbeat(new NodeInfo("quiet", "h", "1", T0, clock.instant(), null));
    clock.set(T0.plus(Purger.NODES_KEPT).plusMillis(1));
    Purger purger = new Purger(store.purges(), clock, 50, true);

    purger.round();

    assertThat(store.nodes().since(T0.minusSeconds(1)))
        .extracting(NodeInfo::id)
        .containsExactly("quiet");
    purger.close();
  }

  @Test
  void a_round_forgets_workers_that_have_not_asked_for_work_for_a_day() {
    store.workers().sawWorkers(List.of(new WorkerInfo("gone", "node-a", List.of(), List.of(), T0)));
    clock.tick(Duration.ofHours(23));
    store
        .workers()
        .sawWorkers(
            List.of(
                new WorkerInfo("quiet", "node-a", List.of("mail"), List.of(), clock.instant())));
    clock.set(T0.plus(Purger.WORKERS_KEPT).plusMillis(1));
    Purger purger = new Purger(store.purges(), clock, 50, true);

    purger.round();

    assertThat(store.workers().workers(10))
        .extracting(WorkerInfo::workerId)
        .containsExactly("quiet");
    purger.close();
  }

  @Test
  void a_purger_does_nothing_before_it_starts_and_closes_twice() {
    succeed(3);
    clock.set(T0.plus(Duration.ofDays(8)));
    Purger purger = new Purger(store.purges(), clock, 50, true);

    assertThat(taskCount()).isEqualTo(3);
    purger.start();
    purger.close();
    purger.close();
  }
}
