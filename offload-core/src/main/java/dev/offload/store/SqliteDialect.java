package dev.offload.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.offload.cluster.ClusterSignals;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
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

  /** Prepared statements kept by each connection: every distinct statement of the hot paths. */
  private static final int STATEMENTS_PER_CONNECTION = 200;

  /** The WAL's size past which it is started over. */
  private static final int WAL_RESET_BYTES = 64 << 20;

  /** {@link #WAL_RESET_BYTES} in WAL pages of SQLite's default page size, 4 KiB. */
  private static final int WAL_RESET_FRAMES = WAL_RESET_BYTES / 4096;

  /**
   * The size to which the WAL's file is cut after a restart if it grew past it. Below it the file
   * keeps its size and is written over from the start: cutting it (the WAL grows to about twice
   * {@link #WAL_RESET_BYTES} at 1,000 tasks/s between two looks) stalled the commit that did it by
   * 10 to 30 ms, about once every two seconds.
   */
  private static final int WAL_FILE_LIMIT_BYTES = 4 * WAL_RESET_BYTES;

  private static final int WAL_RESET_WAIT_MS = 10;

  private static final int WAL_CATCH_UP_FRAMES = 256;

  private static final int WAL_CATCH_UP_ROUNDS = 4;

  @Override
  public String name() {
    return "sqlite";
  }

  @Override
  public DataSource openDataSource() {
    return openPool("offload-sqlite", POOL_SIZE);
  }

  /**
   * One connection that does every write, serialized in Java anyway. A SQLite connection discards
   * its whole page cache when it begins a transaction after another connection changed the file:
   * with writes taking turns on the pool's connections, each began with an empty cache and read
   * every index page it touched back through the WAL.
   */
  @Override
  public DataSource openWriteDataSource(DataSource shared) {
    return openPool("offload-sqlite-writer", 1);
  }

  private DataSource openPool(String name, int size) {
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
    sqlite.setJournalSizeLimit(WAL_FILE_LIMIT_BYTES);
    SQLiteDataSource source = new SQLiteDataSource(sqlite);
    source.setUrl("jdbc:sqlite:" + file.toAbsolutePath());
    HikariConfig pool = new HikariConfig();
    pool.setDataSource(new StatementPoolingDataSource(source, STATEMENTS_PER_CONNECTION));
    pool.setMaximumPoolSize(size);
    pool.setPoolName(name);
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

  /**
   * A passive checkpoint copies the WAL into the database without holding up writers or readers. It
   * never starts the WAL over while a reader is using it, though, and under steady load some reader
   * always is: the WAL would grow by every commit (tens of GB in half an hour at 500 tasks/s). Past
   * {@value #WAL_RESET_FRAMES} pages, the WAL is started over between writes. Before that, passive
   * checkpoints follow one another until one finds at most {@value #WAL_CATCH_UP_FRAMES} new pages
   * (at most {@value #WAL_CATCH_UP_ROUNDS} of them), so the restart, which every writer waits for,
   * has little left to copy: the pages written during a checkpoint of a full WAL took it 5 to 11
   * ms.
   */
  @Override
  public boolean maintain(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      int copied = 0;
      for (int round = 0; round < WAL_CATCH_UP_ROUNDS; round++) {
        try (ResultSet checkpoint = s.executeQuery("PRAGMA wal_checkpoint(PASSIVE)")) {
          if (!checkpoint.next() || checkpoint.getInt(2) <= WAL_RESET_FRAMES) return false;
          int copiedNow = checkpoint.getInt(3);
          if (copiedNow - copied <= WAL_CATCH_UP_FRAMES) return true;
          copied = copiedNow;
        }
      }
      return true;
    }
  }

  /**
   * Starts the WAL over once the readers of the moment leave it, while every writer waits. The
   * passive checkpoint just before left little to copy. Readers are short, but SQLite's busy
   * handler sleeps 1, 2, 5, 10, 15 ms and longer between looks: here it gives up after {@value
   * #WAL_RESET_WAIT_MS} ms, and the next round tries again. Restarting rather than truncating: the
   * file is written over from its start, and only a file grown past {@value #WAL_FILE_LIMIT_BYTES}
   * bytes is cut back by the first commit after the restart ({@code journal_size_limit});
   * truncating the whole file of a second's commits (80 MB at 1,000 tasks/s) held writers for 25 to
   * 110 ms, the p99 of every create.
   */
  @Override
  public void maintainBetweenWrites(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("PRAGMA busy_timeout = " + WAL_RESET_WAIT_MS);
      try {
        s.execute("PRAGMA wal_checkpoint(RESTART)");
      } finally {
        s.execute("PRAGMA busy_timeout = " + BUSY_TIMEOUT_MS);
      }
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
