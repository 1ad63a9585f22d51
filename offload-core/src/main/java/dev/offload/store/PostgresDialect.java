package dev.offload.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import dev.offload.cluster.ClusterSignals;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/**
 * PostgreSQL for any number of nodes: claims skip rows other nodes have locked, and nodes wake each
 * other with LISTEN/NOTIFY on a connection of their own.
 */
public record PostgresDialect(String jdbcUrl, int poolSize) implements Dialect {
  public static final int DEFAULT_POOL_SIZE = 16;

  /** Fail fast while the database is down: a create answers 503 instead of hanging. */
  private static final long CONNECTION_TIMEOUT_MS = 3_000;

  public PostgresDialect {
    if (jdbcUrl == null || !jdbcUrl.startsWith("jdbc:postgresql:")) {
      throw new IllegalArgumentException(
          "a PostgreSQL URL starts with jdbc:postgresql://, got " + jdbcUrl);
    }
    if (poolSize < 2) throw new IllegalArgumentException("poolSize must be >= 2, got " + poolSize);
  }

  public PostgresDialect(String jdbcUrl) {
    this(jdbcUrl, DEFAULT_POOL_SIZE);
  }

  @Override
  public String name() {
    return "postgres";
  }

  @Override
  public DataSource openDataSource() {
    HikariConfig pool = new HikariConfig();
    pool.setJdbcUrl(jdbcUrl);
    pool.setMaximumPoolSize(poolSize);
    pool.setPoolName("offload-postgres");
    pool.setConnectionTimeout(CONNECTION_TIMEOUT_MS);
    pool.setInitializationFailTimeout(CONNECTION_TIMEOUT_MS);
    pool.addDataSourceProperty("reWriteBatchedInserts", "true");
    try {
      return new HikariDataSource(pool);
    } catch (HikariPool.PoolInitializationException e) {
      throw new StoreException(PostgresRefusal.explain(jdbcUrl, e.getCause()), e);
    }
  }

  /** Concurrent writers, each on a connection of the pool. */
  @Override
  public DataSource openWriteDataSource(DataSource shared) {
    return shared;
  }

  /** A database URL without its password, for logs and error messages. */
  public static String redact(String url) {
    return url.replaceAll("(?i)(password=)[^&]*", "$1***")
        .replaceAll("://([^:/@]+):[^@/]*@", "://$1:***@");
  }

  @Override
  public boolean singleNode() {
    return false;
  }

  @Override
  public boolean serializeWrites() {
    return false;
  }

  @Override
  public String skipLockedClause() {
    return " FOR UPDATE SKIP LOCKED";
  }

  /**
   * Autovacuum off: the space of purged tasks, their attempts and pruned events is never marked
   * free, so a store in its steady state grows without end (2.3 GiB in 30 minutes at 500 tasks/s
   * with one minute of retention).
   */
  @Override
  public String misconfiguration(Connection c) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet row = s.executeQuery("SHOW autovacuum")) {
      if (row.next() && "off".equals(row.getString(1))) {
        return "autovacuum is off on this PostgreSQL: the space of deleted tasks, attempts and events is never reused"
            + " and the database grows without end; turn it on (autovacuum = on, the default) or VACUUM tasks, attempts"
            + " and events regularly";
      }
      return null;
    }
  }

  @Override
  public String indexHint(String index) {
    return "";
  }

  @Override
  public String claimPreamble() {
    return "SELECT set_config('plan_cache_mode', 'force_custom_plan', true), set_config('enable_sort', 'off', true),"
        + " set_config('jit', 'off', true)";
  }

  @Override
  public String lockClause() {
    return " FOR UPDATE";
  }

  @Override
  public String containsText(String column) {
    return "strpos(" + column + ", ?) > 0";
  }

  @Override
  public String jsonHasString(String column) {
    return "(" + column + ")::jsonb @> jsonb_build_object(?::text, ?::text)";
  }

  @Override
  public String textBefore(String column) {
    return "split_part(" + column + ", ?, 1)";
  }

  @Override
  public boolean maintain(Connection c) {
    return false;
  }

  @Override
  public void maintainBetweenWrites(Connection c) {}

  @Override
  public String migrationLockStatement() {
    return "SELECT pg_advisory_xact_lock(7243001)";
  }

  @Override
  public ClusterSignals openSignals(String nodeId) {
    return new PostgresSignals(jdbcUrl, nodeId);
  }
}
