package dev.offload.store;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** Queue limits on a real SQLite file. */
class SqliteQueueLimitsTest extends QueueLimitsContractTest {
  @TempDir Path tempDir;

  @Override
  JdbcStore openStore() {
    return JdbcStore.open(new SqliteDialect(tempDir.resolve("offload.db"), false));
  }
}
