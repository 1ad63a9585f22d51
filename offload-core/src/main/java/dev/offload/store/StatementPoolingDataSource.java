package dev.offload.store;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.time.Duration;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.apache.commons.dbcp2.DelegatingPreparedStatement;
import org.apache.commons.dbcp2.PStmtKey;
import org.apache.commons.dbcp2.PoolingConnection;
import org.apache.commons.pool2.impl.GenericKeyedObjectPool;
import org.apache.commons.pool2.impl.GenericKeyedObjectPoolConfig;

/**
 * Connections that keep their prepared statements, by SQL text, for the next caller: closing one
 * resets it instead of finalizing it. SQLite's driver compiles every statement anew, and at a
 * thousand tasks a second compiling the few statements of each claim, insert and finish took a
 * quarter to a third of the threads that run them. PostgreSQL's driver keeps its own statements and
 * needs none of this.
 *
 * <p>Each connection holds at most {@code statements} of them; past that the least recently used
 * idle one is finalized. A statement in use when the same SQL is prepared again (nested work on one
 * connection) gets a second copy.
 */
final class StatementPoolingDataSource implements DataSource {
  private final DataSource source;
  private final int statements;

  StatementPoolingDataSource(DataSource source, int statements) {
    if (statements < 1) throw new IllegalArgumentException("statements must be positive");
    this.source = source;
    this.statements = statements;
  }

  @Override
  public Connection getConnection() throws SQLException {
    return pooling(source.getConnection());
  }

  @Override
  public Connection getConnection(String username, String password) throws SQLException {
    return pooling(source.getConnection(username, password));
  }

  private Connection pooling(Connection connection) {
    PoolingConnection pooling = new PoolingConnection(connection);
    GenericKeyedObjectPoolConfig<DelegatingPreparedStatement> config =
        new GenericKeyedObjectPoolConfig<>();
    config.setMaxTotalPerKey(-1);
    config.setMaxIdlePerKey(1);
    config.setMaxTotal(statements);
    config.setBlockWhenExhausted(false);
    config.setMaxWait(Duration.ZERO);
    config.setJmxEnabled(false);
    pooling.setStatementPool(
        new GenericKeyedObjectPool<PStmtKey, DelegatingPreparedStatement>(pooling, config));
    return pooling;
  }

  @Override
  public PrintWriter getLogWriter() throws SQLException {
    return source.getLogWriter();
  }

  @Override
  public void setLogWriter(PrintWriter out) throws SQLException {
    source.setLogWriter(out);
  }

  @Override
  public void setLoginTimeout(int seconds) throws SQLException {
    source.setLoginTimeout(seconds);
  }

  @Override
  public int getLoginTimeout() throws SQLException {
    return source.getLoginTimeout();
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    return source.getParentLogger();
  }

  @Override
  public <T> T unwrap(Class<T> type) throws SQLException {
    if (type.isInstance(this)) return type.cast(this);
    return source.unwrap(type);
  }

  @Override
  public boolean isWrapperFor(Class<?> type) throws SQLException {
    return type.isInstance(this) || source.isWrapperFor(type);
  }
}
