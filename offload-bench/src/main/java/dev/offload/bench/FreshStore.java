package dev.offload.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;

/** An empty store for one server lifetime, so no workload inherits another's rows. */
interface FreshStore extends AutoCloseable {
  /** The {@code offload serve} options that point the server at this store. */
  List<String> serverArgs();

  String name();

  /** A JDBC URL of the store, once the server has created its schema. */
  String jdbcUrl();

  /** Drops what {@link #create} made. */
  @Override
  void close() throws SQLException;

  static FreshStore create(String store, Path workDir, String databaseUrl) throws IOException, SQLException {
    return switch (store) {
      case "sqlite" -> new SqliteDataDir(workDir.resolve("data"));
      case "postgres" -> PostgresSchema.create(databaseUrl, workDir.resolve("data"));
      default -> throw new IllegalArgumentException("unknown store " + store);
    };
  }
}
