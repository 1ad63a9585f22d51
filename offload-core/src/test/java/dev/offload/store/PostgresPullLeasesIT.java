package dev.offload.store;

import static dev.offload.task.TestTasks.T0;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Worker leases and the worker registry on the real PostgreSQL, each test in a schema of its own; several nodes share one. */
class PostgresPullLeasesIT extends PullLeaseContractTest {
  private final FreshPostgresStores postgres = new FreshPostgresStores();
  private String url;

  @Override
  JdbcStore openStore() {
    url = postgres.freshSchema();
    return JdbcStore.open(new PostgresDialect(url));
  }

  @AfterEach
  void dropSchemas() {
    postgres.dropAll();
  }

  @Test
  void nodes_saving_the_same_workers_at_once_never_deadlock_and_every_node_lists_all_of_them() throws Exception {
    try (JdbcStore other = JdbcStore.open(new PostgresDialect(url));
        ExecutorService threads = Executors.newFixedThreadPool(2)) {
      List<Future<?>> saves = new ArrayList<>();
      for (int round = 0; round < 20; round++) {
        int r = round;
        // each node sees the same 200 workers, in opposite orders
        List<WorkerInfo> seenByA = IntStream.range(0, 200).mapToObj(i -> seen("w" + i, "node-a", T0.plusMillis(2L * r))).toList();
        List<WorkerInfo> seenByB = IntStream.range(0, 200).map(i -> 199 - i)
            .mapToObj(i -> seen("w" + i, "node-b", T0.plusMillis(2L * r + 1))).toList();
        saves.add(threads.submit(() -> store.sawWorkers(seenByA)));
        saves.add(threads.submit(() -> other.sawWorkers(seenByB)));
      }
      for (Future<?> save : saves) save.get();
      store.sawWorkers(List.of(seen("only-on-a", "node-a", T0.plusSeconds(1))));

      assertThat(other.workers(1_000)).hasSize(201).first().isEqualTo(seen("only-on-a", "node-a", T0.plusSeconds(1)));
      assertThat(store.workers(1_000)).as("the last round's newer sightings, from node b").filteredOn(w -> w.workerId().startsWith("w"))
          .allSatisfy(w -> assertThat(w).isEqualTo(seen(w.workerId(), "node-b", T0.plusMillis(39))));
    }
  }
}
