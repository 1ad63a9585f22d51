package dev.offload.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.offload.cluster.ClusterSignals;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.sql.DataSource;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * The embedded default: one SQLite file in WAL mode. With {@code synchronous=NORMAL} a killed
 * process loses nothing committed; a power loss may lose the last commits. {@code FULL} survives
 * both at the cost of an fsync per commit.
 */
public record SqliteDialect(Path file, boolean fullSync) implements Dialect {
  private static final int BUSY_TIMEOUT_MS = 10_000;
  private static final int POOL_SIZE = 4;

  /**
   * Page cache of each connection. SQLite's default of 2 MiB holds the top of the task indexes only
   * while the store is small: with millions of finished tasks every status change read its index
   * pages back from the OS, and W2 on a store of 2,000,000 ran at 0.74x of an empty one. It fills
   * only as far as the database goes.
   */
  private static final int CACHE_KIB = 32 * 1024;

  private static final long WAL_RESET_BYTES = 64L << 20;

  @Override
  public String name() {
    return "sqlite";
  }

  @Override
  public DataSource openDataSource() {
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) Files.createDirectories(parent);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the data directory for " + file, e);
    }
    SQLiteConfig sqlite = new SQLiteConfig();
    sqlite.setJournalMode(SQLiteConfig.JournalMode.WAL);
    sqlite.setSynchronous(
        fullSync ? SQLiteConfig.SynchronousMode.FULL : SQLiteConfig.SynchronousMode.NORMAL);
    sqlite.setBusyTimeout(BUSY_TIMEOUT_MS);
    sqlite.setCacheSize(-CACHE_KIB);
    SQLiteDataSource source = new SQLiteDataSource(sqlite);
    source.setUrl("jdbc:sqlite:" + file.toAbsolutePath());
    HikariConfig pool = new HikariConfig();
    pool.setDataSource(source);
    pool.setMaximumPoolSize(POOL_SIZE);
    pool.setPoolName("offload-sqlite");
    // The commit that crosses the WAL threshold would otherwise checkpoint inline, stalling every
    // writer queued behind it for the length of an fsync; a background checkpoint does it instead.
    pool.setConnectionInitSql("PRAGMA wal_autocheckpoint = 0");
    return new HikariDataSource(pool);
  }

  /** {@code offload.db.lock} beside {@code offload.db}. */
  @Override
  public DataDirLock lockForThisProcess() {
    return DataDirLock.acquire(file.resolveSibling(file.getFileName() + ".lock"));
  }

  @Override
  public boolean singleNode() {
    return true;
  }

  @Override
  public boolean serializeWrites() {
    return true;
  }

  @Override
  public String skipLockedClause() {
    return "";
  }

  @Override
  public String indexHint(String index) {
    return " INDEXED BY " + index;
  }

  @Override
  public String claimPreamble() {
    return null;
  }

  @Override
  public String lockClause() {
    return "";
  }

  @Override
  public String containsText(String column) {
    return "instr(" + column + ", ?) > 0";
  }

  @Override
  public String jsonHasString(String column) {
    return "EXISTS (SELECT 1 FROM json_each("
        + column
        + ") AS pair WHERE pair.key = ? AND pair.type = 'text' AND pair.value = ?)";
  }

  @Override
  public String textBefore(String column) {
    return "substr(" + column + ", 1, instr(" + column + ", ?) - 1)";
  }

  @Override
  public String periodicMaintenance() {
    return "PRAGMA wal_checkpoint(PASSIVE)";
  }

  /**
   * A passive checkpoint copies the WAL into the database but never starts the WAL over while a
   * reader is using it, and under steady load some reader always is: the WAL then grows by every
   * commit (tens of GB in half an hour at 500 tasks/s). Past {@value #WAL_RESET_BYTES} bytes a
   * truncating checkpoint runs between writes, waiting for the readers of the moment (they are
   * short) and emptying the file.
   */
  @Override
  public String exclusiveMaintenance() {
    try {
      Path wal = Path.of(file.toAbsolutePath() + "-wal");
      return Files.exists(wal) && Files.size(wal) > WAL_RESET_BYTES
          ? "PRAGMA wal_checkpoint(TRUNCATE)"
          : null;
    } catch (IOException e) {
      return null;
    }
  }

  @Override
  public String migrationLockStatement() {
    return null;
  }

  @Override
  public ClusterSignals openSignals(String nodeId) {
    return ClusterSignals.NONE;
  }
}
