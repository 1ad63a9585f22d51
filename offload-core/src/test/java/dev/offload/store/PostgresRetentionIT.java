package dev.offload.store;

import static dev.offload.store.StoreContractTest.KEY_TTL;
import static dev.offload.store.StoreContractTest.LEASE;
import static dev.offload.store.StoreContractTest.aKeyedTask;
import static dev.offload.store.StoreContractTest.succeeded;
import static org.assertj.core.api.Assertions.assertThat;

import dev.offload.task.NewTask;
import dev.offload.task.Task;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Retention on the real PostgreSQL, each store in a schema of its own; and two nodes purging one schema at once. */
class PostgresRetentionIT extends RetentionContractTest {
  private final FreshPostgresStores postgres = new FreshPostgresStores();
  private String url;

  @Override
  JdbcStore openStore(RetentionDefaults defaults) {
    url = postgres.freshSchema();
    return JdbcStore.open(new PostgresDialect(url), defaults);
  }

  @Override
  void execute(String sql) throws Exception {
    try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  @AfterEach
  void dropSchemas() {
    postgres.dropAll();
  }

  @Test
  void two_nodes_purging_at_once_delete_every_due_task_once_and_keep_the_counters_exact() throws Exception {
    int tasks = 3_000;
    List<NewTask> batch = new ArrayList<>();
    for (int i = 0; i < tasks; i++) {
      batch.add(aKeyedTask("key-" + i, "hash").queue(i % 3 == 0 ? "reports" : "default").build());
    }
    store.create(List.of(new TaskBatch(batch)), clock.instant(), KEY_TTL);
    for (List<Task> claimed; !(claimed = store.claimDue("node-a", clock.instant(), 500, LEASE)).isEmpty(); ) {
      store.finish(claimed.stream().map(t -> succeeded(t, clock.instant())).toList());
    }
    assertThat(count("SELECT COUNT(*) FROM tasks WHERE status = 'succeeded'")).isEqualTo(tasks);

    Instant due = clock.instant().plus(Duration.ofHours(1));
    List<Integer> deletedByNode;
    try (JdbcStore other = JdbcStore.open(new PostgresDialect(url), DEFAULTS)) {
      CyclicBarrier together = new CyclicBarrier(2);
      ExecutorService nodes = Executors.newFixedThreadPool(2);
      try {
        List<Future<Integer>> rounds = nodes.invokeAll(List.of(
            () -> purgeUntilNoneDue(store, due, together), () -> purgeUntilNoneDue(other, due, together)));
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

  /** Purges in small batches, as {@code Purger} does, until a batch comes back empty; returns the tasks it deleted. */
  private static int purgeUntilNoneDue(JdbcStore node, Instant now, CyclicBarrier together) throws Exception {
    together.await();
    int deleted = 0;
    for (int last; (last = node.purgeFinished(0, now, 50).tasks()) > 0; ) deleted += last;
    return deleted;
  }

  private long count(String sql) throws Exception {
    try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement(); ResultSet row = s.executeQuery(sql)) {
      row.next();
      return row.getLong(1);
    }
  }
}
