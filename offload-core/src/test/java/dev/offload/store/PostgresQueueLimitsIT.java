package dev.offload.store;

import org.junit.jupiter.api.AfterEach;

/** Queue limits on the real PostgreSQL, each test in a schema of its own. */
class PostgresQueueLimitsIT extends QueueLimitsContractTest {
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
