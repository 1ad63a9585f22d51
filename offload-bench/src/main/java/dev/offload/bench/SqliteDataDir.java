package dev.offload.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.stream.Stream;
import org.sqlite.SQLiteConfig;

/**
 * A new SQLite data dir; it lives in the workload's temp dir, which {@link ServerUnderTest}
 * deletes.
 */
record SqliteDataDir(Path dir) implements FreshStore {
  /** The server's database file in its data dir. */
  private static final String DATABASE_FILE = "offload.db";

  // The server writes meanwhile (heartbeats, housekeeping): wait for its short transactions.
  private static final int BUSY_TIMEOUT_MS = 30_000;
  // Bulk loads touch every index of the tables: SQLite's default 2 MiB page cache would reread them
  // all the time.
  private static final int CACHE_KIB = 256 * 1024;

  @Override
  public List<String> serverArgs() {
    return List.of("--data-dir", dir.toString());
  }

  @Override
  public String name() {
    return "sqlite";
  }

  @Override
  public Connection connect() throws SQLException {
    SQLiteConfig config = new SQLiteConfig();
    config.setBusyTimeout(BUSY_TIMEOUT_MS);
    config.setCacheSize(-CACHE_KIB);
    return config.createConnection("jdbc:sqlite:" + dir.resolve(DATABASE_FILE));
  }

  /** Every file of the data dir: the database, its WAL and shared-memory index. */
  @Override
  public long sizeBytes() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      long total = 0;
      for (Path file : files.filter(Files::isRegularFile).toList()) total += Files.size(file);
      return total;
    }
  }

  @Override
  public void close() {}
}
