package dev.offload.store;

import dev.offload.testing.TestPostgres;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;

/** Queue limits on the real PostgreSQL, each test in a schema of its own. */
class PostgresQueueLimitsIT extends QueueLimitsContractTest {
  private final List<String> schemas = new ArrayList<>();

  @Override
  JdbcStore openStore() {
    String url = TestPostgres.freshSchemaUrl();
    schemas.add(url);
    return JdbcStore.open(new PostgresDialect(url));
  }

  @AfterEach
  void dropSchemas() {
    schemas.forEach(TestPostgres::dropSchema);
  }
}
