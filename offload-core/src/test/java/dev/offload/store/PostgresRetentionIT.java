package dev.offload.store;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import org.junit.jupiter.api.AfterEach;

/** Retention on the real PostgreSQL, each store in a schema of its own. */
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
}
