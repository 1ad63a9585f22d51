package dev.offload.bench;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A schema of its own in the given database ({@code offload_bench_<random>}); the server gets
 * {@code currentSchema} in its URL, so its migrations create their tables there. Dropped after.
 */
record PostgresSchema(String databaseUrl, String schema, Path dataDir) implements FreshStore {
  static PostgresSchema create(String databaseUrl, Path dataDir) throws SQLException {
    String schema =
        "offload_bench_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    execute(databaseUrl, "CREATE SCHEMA " + schema);
    return new PostgresSchema(databaseUrl, schema, dataDir);
  }

  /** True when the database answers within two seconds. */
  static boolean reachable(String databaseUrl) {
    DriverManager.setLoginTimeout(2);
    try (Connection c = DriverManager.getConnection(databaseUrl)) {
      return c.isValid(2);
    } catch (SQLException e) {
      return false;
    }
  }

  @Override
  public List<String> serverArgs() {
    // The data dir is unused with PostgreSQL but kept out of the working directory all the same.
    // The application name marks the server's connections, so their backends can be told from the
    // bench's own.
    return List.of(
        "--data-dir",
        dataDir.toString(),
        "--database-url",
        schemaUrl() + "&ApplicationName=" + schema);
  }

  /**
   * The backends serving the server's connections. Not PostgreSQL's shared processes (WAL writer,
   * checkpointer, autovacuum): other databases on the same server use them too.
   */
  @Override
  public Map<String, CpuMeter.Pids> processes() {
    return Map.of("PostgreSQL backends", this::serverBackends);
  }

  private List<Long> serverBackends() {
    try (Connection c = DriverManager.getConnection(databaseUrl);
        PreparedStatement s =
            c.prepareStatement("SELECT pid FROM pg_stat_activity WHERE application_name = ?")) {
      s.setString(1, schema);
      List<Long> pids = new ArrayList<>();
      try (ResultSet rows = s.executeQuery()) {
        while (rows.next()) pids.add(rows.getLong(1));
      }
      return pids;
    } catch (SQLException e) {
      throw new IllegalStateException(
          "listing the server's PostgreSQL backends: " + e.getMessage(), e);
    }
  }

  @Override
  public Connection connect() throws SQLException {
    return DriverManager.getConnection(schemaUrl());
  }

  /** Every table of the schema with its indexes and TOAST: what the server's rows take. */
  @Override
  public long sizeBytes() throws SQLException {
    String sql =
        """
        SELECT COALESCE(SUM(pg_total_relation_size(c.oid)), 0) FROM pg_class c
        JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = ? AND c.relkind = 'r'""";
    try (Connection c = DriverManager.getConnection(databaseUrl);
        PreparedStatement s = c.prepareStatement(sql)) {
      s.setString(1, schema);
      try (ResultSet row = s.executeQuery()) {
        row.next();
        return row.getLong(1);
      }
    }
  }

  private String schemaUrl() {
    return databaseUrl + (databaseUrl.contains("?") ? "&" : "?") + "currentSchema=" + schema;
  }

  @Override
  public String name() {
    return "postgres";
  }

  @Override
  public void close() throws SQLException {
    execute(databaseUrl, "DROP SCHEMA IF EXISTS " + schema + " CASCADE");
  }

  private static void execute(String databaseUrl, String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection(databaseUrl);
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }
}
