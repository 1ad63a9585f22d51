package dev.offload.store;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** Worker leases and the worker registry on a real SQLite file. */
class SqlitePullLeasesTest extends PullLeaseContractTest {
  @TempDir Path tempDir;

  @Override
  JdbcStore openStore() {
    return JdbcStore.open(new SqliteDialect(tempDir.resolve("offload.db"), false));
  }
}
