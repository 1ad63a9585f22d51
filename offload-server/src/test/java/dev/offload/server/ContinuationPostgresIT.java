package dev.offload.server;

import dev.offload.testing.TestPostgres;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** The long-work protocol on PostgreSQL. */
class ContinuationPostgresIT extends ContinuationChecks {
  private String databaseUrl;

  @Override
  @BeforeAll
  void startServerAndTarget(@TempDir Path dataDir) {
    databaseUrl = TestPostgres.freshSchemaUrl();
    target = new TestTarget();
    server = new RunningServer(dataDir, config -> config.withDatabaseUrl(databaseUrl));
  }

  @AfterAll
  void dropSchema() {
    TestPostgres.dropSchema(databaseUrl);
  }
}
