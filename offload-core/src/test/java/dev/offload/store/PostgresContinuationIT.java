package dev.offload.store;

import org.junit.jupiter.api.AfterEach;

/** The long-work store contract on the real PostgreSQL. */
class PostgresContinuationIT extends ContinuationContractTest {
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
