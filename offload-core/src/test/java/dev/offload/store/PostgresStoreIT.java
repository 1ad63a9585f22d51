package dev.offload.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
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
  void a_schema_migrated_by_a_newer_offload_is_refused_naming_both_versions() throws Exception {
    String url = postgres.freshSchema();
    JdbcStore.open(new PostgresDialect(url)).close();
    try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
      s.execute("INSERT INTO schema_version (version, script) VALUES (999, 'V999__from_a_newer_offload.sql')");
    }

    assertThatThrownBy(() -> JdbcStore.open(new PostgresDialect(url)))
        .isInstanceOf(SchemaTooNewException.class)
        .hasMessageContaining("the database is at V999__from_a_newer_offload.sql")
        .hasMessageContaining("this Offload knows migrations up to V0");
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
      assertThat(reopened.nodes().since(java.time.Instant.EPOCH)).isEmpty();
    }
  }
}
