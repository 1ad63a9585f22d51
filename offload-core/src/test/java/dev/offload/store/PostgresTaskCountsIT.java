package dev.offload.store;

import org.junit.jupiter.api.AfterEach;

/** The trigger-kept counters on the real PostgreSQL, each test in a schema of its own. */
class PostgresTaskCountsIT extends TaskCountsContractTest {
  private final FreshPostgresStores postgres = new FreshPostgresStores();
  private String url;

  @Override
  String url() {
    if (url == null) url = postgres.freshSchema();
    return url;
  }

  @AfterEach
  void dropSchemas() {
    postgres.dropAll();
  }
}
