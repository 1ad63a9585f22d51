package dev.offload.store;

import static dev.offload.store.PullLeaseContract.seen;
import static dev.offload.task.TestTasks.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.offload.cluster.WorkerInfo;
import dev.offload.task.NewTask;
import dev.offload.task.Task;
import dev.offload.task.TaskBatch;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every area of the store contract ({@link StoreSuite}) on the real PostgreSQL, each test in a
 * schema of its own, and what only PostgreSQL does: several nodes on one database.
 */
@ExtendWith(TestDatabase.OnPostgres.class)
class PostgresStoreIT extends StoreSuite {
  @Nested
  class OnlyPostgres extends StoreContract {
    @Test
    void two_nodes_purging_at_once_delete_every_due_task_once_and_keep_the_counters_exact()
        throws Exception {
      int tasks = 3_000;
      List<NewTask> batch = new ArrayList<>();
      for (int i = 0; i < tasks; i++) {
        batch.add(aKeyedTask("key-" + i, "hash").queue(i % 3 == 0 ? "reports" : "default").build());
      }
      List<Integer> deletedByNode;
      try (JdbcStore node = database.open(RetentionContract.DEFAULTS);
          JdbcStore other = database.open(RetentionContract.DEFAULTS)) {
        node.inserts().create(List.of(new TaskBatch(batch)), T0, KEY_TTL);
        for (List<Task> claimed;
            !(claimed = node.pushClaims().claimDue(NODE_A, T0, 500, LEASE)).isEmpty(); ) {
          node.completion().finish(claimed.stream().map(t -> succeeded(t, T0)).toList());
        }
        assertThat(count("SELECT COUNT(*) FROM tasks WHERE status = 'succeeded'")).isEqualTo(tasks);

        Instant due = T0.plus(Duration.ofHours(1));
        CyclicBarrier together = new CyclicBarrier(2);
        ExecutorService nodes = Executors.newFixedThreadPool(2);
        try {
          List<Future<Integer>> rounds =
              nodes.invokeAll(
                  List.of(
                      () -> purgeUntilNoneDue(node, due, together),
                      () -> purgeUntilNoneDue(other, due, together)));
          deletedByNode = new ArrayList<>();
          for (Future<Integer> round : rounds) deletedByNode.add(round.get());
        } finally {
          nodes.shutdownNow();
        }
      }
      System.out.printf("two nodes purging %d tasks at once deleted %s%n", tasks, deletedByNode);

      assertThat(deletedByNode.stream().mapToInt(Integer::intValue).sum()).isEqualTo(tasks);
      for (String table : List.of("tasks", "attempts", "events", "idempotency_keys")) {
        assertThat(count("SELECT COUNT(*) FROM " + table)).as(table).isZero();
      }
      assertThat(count("SELECT COALESCE(SUM(n), 0) FROM task_counts")).as("counted tasks").isZero();
    }

    /**
     * Purges in small batches, as {@code Purger} does, until a batch comes back empty; returns the
     * tasks it deleted.
     */
    private static int purgeUntilNoneDue(JdbcStore node, Instant now, CyclicBarrier together)
        throws Exception {
      together.await();
      int deleted = 0;
      for (int last; (last = node.purges().purgeFinished(0, now, 50).tasks()) > 0; )
        deleted += last;
      return deleted;
    }

    private long count(String sql) throws Exception {
      try (Connection c = DriverManager.getConnection(database.url());
          Statement s = c.createStatement();
          ResultSet row = s.executeQuery(sql)) {
        row.next();
        return row.getLong(1);
      }
    }

    @Test
    void nodes_saving_the_same_workers_at_once_never_deadlock_and_every_node_lists_all_of_them()
        throws Exception {
      try (JdbcStore other = database.open();
          ExecutorService threads = Executors.newFixedThreadPool(2)) {
        List<Future<?>> saves = new ArrayList<>();
        for (int round = 0; round < 20; round++) {
          int r = round;
          // each node sees the same 200 workers, in opposite orders
          List<WorkerInfo> seenByA =
              IntStream.range(0, 200)
                  .mapToObj(i -> seen("w" + i, "node-a", T0.plusMillis(2L * r)))
                  .toList();
          List<WorkerInfo> seenByB =
              IntStream.range(0, 200)
                  .map(i -> 199 - i)
                  .mapToObj(i -> seen("w" + i, "node-b", T0.plusMillis(2L * r + 1)))
                  .toList();
          saves.add(threads.submit(() -> store.workers().sawWorkers(seenByA)));
          saves.add(threads.submit(() -> other.workers().sawWorkers(seenByB)));
        }
        for (Future<?> save : saves) save.get();
        store.workers().sawWorkers(List.of(seen("only-on-a", "node-a", T0.plusSeconds(1))));

        assertThat(other.workers().workers(1_000))
            .hasSize(201)
            .first()
            .isEqualTo(seen("only-on-a", "node-a", T0.plusSeconds(1)));
        assertThat(store.workers().workers(1_000))
            .as("the last round's newer sightings, from node b")
            .filteredOn(w -> w.workerId().startsWith("w"))
            .allSatisfy(
                w -> assertThat(w).isEqualTo(seen(w.workerId(), "node-b", T0.plusMillis(39))));
      }
    }

    @Test
    void autovacuum_turned_off_is_named_at_start_up_with_what_to_do() throws Exception {
      try (Connection c = DriverManager.getConnection(database.url());
          Statement s = c.createStatement();
          ResultSet row = s.executeQuery("SHOW autovacuum")) {
        row.next();
        String warning = store.dialect().misconfiguration(c);
        if (row.getString(1).equals("off")) {
          assertThat(warning)
              .startsWith("autovacuum is off on this PostgreSQL")
              .contains("autovacuum = on");
        } else {
          assertThat(warning).isNull();
        }
      }
    }

    @Test
    void the_postgres_dialect_is_multi_node_and_lets_writers_run_concurrently() {
      assertThat(store.dialect().singleNode()).isFalse();
      assertThat(store.dialect().serializeWrites()).isFalse();
    }

    @Test
    void a_schema_migrated_by_a_newer_offload_is_refused_naming_both_versions() throws Exception {
      database.execute(
          "INSERT INTO schema_version (version, script) VALUES (999, 'V999__from_a_newer_offload.sql')");

      assertThatThrownBy(() -> database.open())
          .isInstanceOf(SchemaTooNewException.class)
          .hasMessageContaining("the database is at V999__from_a_newer_offload.sql")
          .hasMessageContaining("this Offload knows migrations up to V0");
    }

    @Test
    void nodes_starting_together_migrate_once(TestDatabase empty) throws Exception {
      try (empty) {
        List<Callable<JdbcStore>> starts = new ArrayList<>();
        for (int i = 0; i < 4; i++) starts.add(empty::open);
        try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
          for (Future<JdbcStore> started : pool.invokeAll(starts)) started.get().close();
        }
        try (JdbcStore reopened = empty.open()) {
          assertThat(reopened.nodes().since(Instant.EPOCH)).isEmpty();
        }
      }
    }
  }
}
