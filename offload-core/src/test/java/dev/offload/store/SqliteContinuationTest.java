package dev.offload.store;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The long-work store contract on a real SQLite file. */
class SqliteContinuationTest extends ContinuationContractTest {
  @TempDir Path tempDir;

  @Override
  JdbcStore openStore() {
    return JdbcStore.open(new SqliteDialect(tempDir.resolve("offload.db"), false));
  }
}
