package dev.offload.store;

import dev.offload.cluster.ClusterSignals;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/** What really differs between SQLite and PostgreSQL; everything else is shared SQL. */
public interface Dialect {
  /**
   * Folder of this dialect's parts of the migrations below {@code dev/offload/store/migrations/}.
   */
  String name();

  DataSource openDataSource();

  /**
   * The connections of write transactions: {@code shared} (from {@link #openDataSource()}) or a
   * pool of their own, closed with it.
   */
  DataSource openWriteDataSource(DataSource shared);

  /**
   * Whether only one node can use this store. Then, at start-up, every running task belongs to a
   * node that no longer exists and is put back at once instead of after its lease expires.
   */
  boolean singleNode();

  /**
   * Whether write transactions must be serialized in-process. SQLite has one writer per file;
   * queuing in Java avoids spinning on {@code SQLITE_BUSY} in native code.
   */
  boolean serializeWrites();

  /** Appended to the claim sub-select so concurrent claimers skip each other's rows. */
  String skipLockedClause();

  /**
   * Run in the transaction before a claim, a purge batch or a read of a queue's oldest ready task,
   * or null. PostgreSQL switches a prepared statement to a generic plan after five runs, which can
   * be many times slower than the plan for the actual values. And each of these reads the first
   * rows of an index in its order: without fresh statistics (a bulk load before ANALYZE) the
   * planner may expect a handful of rows and prefer to sort the whole backlog, so sorting is ruled
   * out for the claim's transaction. A ruled-out sort still costs a plan 10^10, which would
   * JIT-compile every statement of the transaction (the counter triggers' too, hundreds of ms
   * each), so JIT is off there as well.
   */
  String claimPreamble();

  /**
   * Follows {@code tasks} in the FROM clause of a claim's or purge's statements to make them read
   * {@code index}, or is empty. SQLite has no statistics unless ANALYZE ran, and without them it
   * prefers an equality on {@code status} and a sort of every matching task to the index.
   */
  String indexHint(String index);

  /** Appended to a sub-select ordered by id, so a multi-row update locks its rows in that order. */
  String lockClause();

  /**
   * SQL for the text of {@code column} before the first occurrence of the text bound to the one
   * parameter it holds (the databases share no function that finds text in text).
   */
  String textBefore(String column);

  /**
   * A condition true when the text bound to its one parameter occurs in {@code column}, as is (no
   * pattern characters, case-sensitive).
   */
  String containsText(String column);

  /**
   * A condition true when the JSON object in {@code column} has the key bound to its first
   * parameter with the string bound to its second as its value.
   */
  String jsonHasString(String column);

  /**
   * A statement run first in the migration transaction so that nodes starting together migrate one
   * after the other, or null when the database serializes that by itself.
   */
  String migrationLockStatement();

  /**
   * Maintenance run about once a second outside any write transaction; returns whether {@link
   * #maintainBetweenWrites} has work now.
   */
  boolean maintain(Connection c) throws SQLException;

  /**
   * What about this database will hurt a node in production, said once at start-up; null when
   * nothing.
   */
  default String misconfiguration(Connection c) throws SQLException {
    return null;
  }

  /** Maintenance that must run while no write transaction of this process runs. */
  void maintainBetweenWrites(Connection c) throws SQLException;

  /**
   * Locks the store for this process while it is open, for a {@link #singleNode()} store; null when
   * many nodes may share it. Throws {@link StoreInUseException} when another process has it.
   */
  default DataDirLock lockForThisProcess() {
    return null;
  }

  /** How nodes sharing this database tell each other about new and finished work. */
  ClusterSignals openSignals(String nodeId);
}
