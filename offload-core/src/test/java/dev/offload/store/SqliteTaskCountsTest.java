package dev.offload.store;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The trigger-kept counters on a real SQLite file. */
class SqliteTaskCountsTest extends TaskCountsContractTest {
  @TempDir Path tempDir;

  @Override
  String url() {
    return "jdbc:sqlite:" + tempDir.resolve("offload.db").toAbsolutePath();
  }
}
