package dev.offload.bench;

import java.nio.file.Path;
import java.util.List;

/** A new SQLite data dir; it lives in the workload's temp dir, which {@link ServerUnderTest} deletes. */
record SqliteDataDir(Path dir) implements FreshStore {
  @Override
  public List<String> serverArgs() {
    return List.of("--data-dir", dir.toString());
  }

  @Override
  public String jdbcUrl() {
    return "jdbc:sqlite:" + dir.resolve("offload.db");
  }

  @Override
  public String name() {
    return "sqlite";
  }

  @Override
  public void close() {}
}
