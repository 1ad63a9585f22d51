package dev.offload.store;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** Queue history on a real SQLite file. */
class SqliteQueueHistoryTest extends QueueHistoryContractTest {
  @TempDir Path tempDir;

  @Override
  JdbcStore openStore() {
    return JdbcStore.open(new SqliteDialect(tempDir.resolve("offload.db"), false));
  }
}
