package dev.offload.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The store contract on the real PostgreSQL, each test in a schema of its own. */
class PostgresStoreIT extends StoreContractTest {
  private final FreshPostgresStores postgres = new FreshPostgresStores();

  @Override
  JdbcStore openStore() {
    return postgres.open();
  }

  @AfterEach
  void dropSchemas() {
    postgres.dropAll();
  }

  @Test
  void the_postgres_dialect_is_multi_node_and_lets_writers_run_concurrently() {
    assertThat(store.dialect().singleNode()).isFalse();
    assertThat(store.dialect().serializeWrites()).isFalse();
  }

  @Test
  void nodes_starting_together_migrate_once() throws Exception {
    String url = postgres.freshSchema();
    List<Callable<JdbcStore>> starts = new ArrayList<>();
    for (int i = 0; i < 4; i++) starts.add(() -> JdbcStore.open(new PostgresDialect(url)));
    try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
      for (Future<JdbcStore> started : pool.invokeAll(starts)) started.get().close();
    }
    try (JdbcStore reopened = JdbcStore.open(new PostgresDialect(url))) {
      assertThat(reopened.nodes(java.time.Instant.EPOCH)).isEmpty();
    }
  }
}
