package dev.offload.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

/** An empty store for one server lifetime, so no workload inherits another's rows. */
interface FreshStore extends AutoCloseable {
  /** The {@code offload serve} options that point the server at this store. */
  List<String> serverArgs();

  String name();

  /**
   * A connection of the bench's own to the server's store, for bulk loads that the API would take
   * hours for; the server must have started (and migrated the schema) first.
   */
  Connection connect() throws SQLException;

  /**
   * The processes outside the server that do its store's work, for {@link CpuMeter}: PostgreSQL's
   * backends of the server's connections. None for SQLite, which works inside the server's process.
   */
  default Map<String, CpuMeter.Pids> processes() {
    return Map.of();
  }

  /**
   * What the store takes on disk now: files with SQLite, tables with their indexes with PostgreSQL.
   */
  long sizeBytes() throws IOException, SQLException;

  /** Drops what {@link #create} made. */
  @Override
  void close() throws SQLException;

  static FreshStore create(String store, Path workDir, String databaseUrl)
      throws IOException, SQLException {
    return switch (store) {
      case "sqlite" -> new SqliteDataDir(workDir.resolve("data"));
      case "postgres" -> PostgresSchema.create(databaseUrl, workDir.resolve("data"));
      default -> throw new IllegalArgumentException("unknown store " + store);
    };
  }
}
