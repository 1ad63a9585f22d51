package dev.offload.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;

/** Connections and transactions for one {@link Dialect}. */
final class Database implements AutoCloseable {
  @FunctionalInterface
  interface SqlWork<T> {
    T run(Connection connection) throws SQLException;
  }

  private final Dialect dialect;
  private final DataDirLock processLock;
  private final DataSource dataSource;
  private final DataSource writeSource;
  private final ReentrantLock writeLock = new ReentrantLock(true);

  Database(Dialect dialect) {
    this.dialect = dialect;
    this.processLock = dialect.lockForThisProcess();
    DataSource reads = null;
    try {
      reads = dialect.openDataSource();
      this.writeSource = dialect.openWriteDataSource(reads);
      this.dataSource = reads;
    } catch (RuntimeException e) {
      if (reads instanceof AutoCloseable closeable) closeQuietly(closeable, e);
      if (processLock != null) processLock.close();
      throw e;
    }
  }

  Dialect dialect() {
    return dialect;
  }

  /** Runs {@code work} in one transaction, committed when it returns. */
  <T> T write(String what, SqlWork<T> work) {
    boolean serialize = dialect.serializeWrites();
    if (serialize) writeLock.lock();
    try {
      return inTransaction(writeSource, what, work);
    } finally {
      if (serialize) writeLock.unlock();
    }
  }

  /**
   * Runs {@code work}, a read that takes the first rows of indexes in their order, after the
   * dialect's claim preamble (see {@link Dialect#claimPreamble()}) in a transaction of its own:
   * without statistics PostgreSQL would rather sort a million ready tasks for the oldest one.
   */
  <T> T readInIndexOrder(String what, SqlWork<T> work) {
    if (dialect.claimPreamble() == null) return read(what, work);
    return inTransaction(
        dataSource,
        what,
        c -> {
          ClaimSql.preamble(c, dialect);
          return work.run(c);
        });
  }

  private <T> T inTransaction(DataSource source, String what, SqlWork<T> work) {
    try (Connection connection = source.getConnection()) {
      connection.setAutoCommit(false);
      try {
        T result = work.run(connection);
        connection.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        connection.rollback();
        throw e;
      } finally {
        connection.setAutoCommit(true);
      }
    } catch (SQLException e) {
      throw new StoreException(what + " failed: " + e.getMessage(), e);
    }
  }

  /** Runs {@code work} outside a transaction while no write transaction of this process runs. */
  <T> T betweenWrites(String what, SqlWork<T> work) {
    writeLock.lock();
    try {
      return read(what, work);
    } finally {
      writeLock.unlock();
    }
  }

  /** Runs {@code work} outside an explicit transaction. */
  <T> T read(String what, SqlWork<T> work) {
    try (Connection connection = dataSource.getConnection()) {
      return work.run(connection);
    } catch (SQLException e) {
      throw new StoreException(what + " failed: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() throws Exception {
    try {
      if (writeSource != dataSource && writeSource instanceof AutoCloseable writes) writes.close();
    } finally {
      try {
        if (dataSource instanceof AutoCloseable reads) reads.close();
      } finally {
        if (processLock != null) processLock.close();
      }
    }
  }

  private static void closeQuietly(AutoCloseable closeable, RuntimeException failure) {
    try {
      closeable.close();
    } catch (Exception e) {
      failure.addSuppressed(e);
    }
  }
}
