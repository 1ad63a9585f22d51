package dev.offload.store;

import org.junit.jupiter.api.AfterEach;

/** Queue history on the real PostgreSQL, each test in a schema of its own. */
class PostgresQueueHistoryIT extends QueueHistoryContractTest {
  private final FreshPostgresStores postgres = new FreshPostgresStores();

  @Override
  JdbcStore openStore() {
    return postgres.open();
  }

  @AfterEach
  void dropSchemas() {
    postgres.dropAll();
  }
}
