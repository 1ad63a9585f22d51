package dev.offload.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import org.junit.jupiter.api.io.TempDir;

/** Retention on a real SQLite file. */
class SqliteRetentionTest extends RetentionContractTest {
  @TempDir Path tempDir;
  private int opened;

  @Override
  JdbcStore openStore(RetentionDefaults defaults) {
    return JdbcStore.open(new SqliteDialect(file(++opened), false), defaults);
  }

  private Path file(int number) {
    return tempDir.resolve("offload-" + number + ".db");
  }

  @Override
  void execute(String sql) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file(opened)); Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }
}
