package dev.offload.store;

import com.github.f4b6a3.ulid.Ulid;
import com.github.f4b6a3.ulid.UlidCreator;
import dev.offload.bulk.BulkAction;
import dev.offload.bulk.BulkBatch;
import dev.offload.bulk.BulkCancel;
import dev.offload.bulk.BulkFilter;
import dev.offload.bulk.BulkStart;
import dev.offload.bulk.BulkStatus;
import dev.offload.bulk.BulkVerb;
import dev.offload.task.ActionResult;
import dev.offload.task.Task;
import dev.offload.task.TaskId;
import dev.offload.task.TaskStatus;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Bulk actions (design.md: bulk actions): the {@code bulk_actions} rows, and each batch of one
 * applied to its tasks with the same statements as the single-task actions ({@link TaskActions},
 * {@link TaskDeletes}), in one transaction with the action's cursor and counts, so a batch is acted
 * on once whatever happens to the node. A node runs an action while it holds its lease.
 */
public final class BulkActions {
  private static final String COLUMNS =
      "id, action, filter_json, status, matched, done, failed, created_at, finished_at,"
          + " upto_task_id, cursor_task_id";

  private final Database database;
  private final TaskActions actions;

  BulkActions(Database database, TaskActions actions) {
    this.database = database;
    this.actions = actions;
  }

  /**
   * Starts a bulk action over the tasks created until now, unless one with the same verb and filter
   * is running: then that one.
   */
  public BulkStart start(BulkVerb verb, BulkFilter filter, Instant now) {
    String canonical = filter.canonical();
    String hash = sha256(canonical);
    Ulid ulid = UlidCreator.getMonotonicUlid();
    return database.write(
        "start bulk action",
        c -> {
          int inserted;
          try (PreparedStatement s =
              c.prepareStatement(
                  """
                  INSERT INTO bulk_actions (id, action, filter_json, filter_hash, status,
                    upto_task_id, created_at)
                  VALUES (?, ?, ?, ?, 'running', ?, ?)
                  ON CONFLICT (action, filter_hash) WHERE status = 'running' DO NOTHING""")) {
            s.setString(1, "bulk_" + ulid);
            s.setString(2, verb.wire());
            s.setString(3, canonical);
            s.setString(4, hash);
            // Task ids come from the same monotonic ULID source: every task created before this
            // sorts below it.
            s.setString(5, "tsk_" + ulid);
            s.setLong(6, now.toEpochMilli());
            inserted = s.executeUpdate();
          }
          if (inserted == 1) return new BulkStart.Started(find(c, "bulk_" + ulid).orElseThrow());
          try (PreparedStatement s =
              c.prepareStatement(
                  "SELECT "
                      + COLUMNS
                      + " FROM bulk_actions WHERE action = ? AND filter_hash = ? AND status = 'running'")) {
            s.setString(1, verb.wire());
            s.setString(2, hash);
            return new BulkStart.AlreadyRunning(one(s).orElseThrow());
          }
        });
  }

  public Optional<BulkAction> find(String id) {
    return database.read("find bulk action", c -> find(c, id));
  }

  /** The newest {@code limit} actions, newest first. */
  public List<BulkAction> list(int limit) {
    return database.read(
        "list bulk actions",
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "SELECT " + COLUMNS + " FROM bulk_actions ORDER BY id DESC LIMIT ?")) {
            s.setInt(1, limit);
            return all(s);
          }
        });
  }

  /** Stops a running action; the tasks it acted on stay as they are. */
  public BulkCancel cancel(String id, Instant now) {
    return database.write(
        "cancel bulk action",
        c -> {
          int changed;
          try (PreparedStatement s =
              c.prepareStatement(
                  """
                  UPDATE bulk_actions SET status = 'cancelled', finished_at = ?, lease_owner = NULL,
                    lease_expires_at = NULL
                  WHERE id = ? AND status = 'running'""")) {
            s.setLong(1, now.toEpochMilli());
            s.setString(2, id);
            changed = s.executeUpdate();
          }
          Optional<BulkAction> action = find(c, id);
          if (action.isEmpty()) return new BulkCancel.NotFound();
          return changed == 1
              ? new BulkCancel.Cancelled(action.get())
              : new BulkCancel.AlreadyFinished(action.get());
        });
  }

  /**
   * How many tasks {@code filter} matches now, among those with an id below {@code upto} (all when
   * null).
   */
  public long count(BulkFilter filter, String upto) {
    BulkFilterSql where = BulkFilterSql.of(filter, database.dialect());
    return database.read(
        "count bulk action tasks",
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "SELECT COUNT(*) FROM tasks WHERE "
                      + where.condition()
                      + (upto == null ? "" : " AND id < ?"))) {
            int next = where.bind(s, 1);
            if (upto != null) s.setString(next, upto);
            try (ResultSet row = s.executeQuery()) {
              row.next();
              return row.getLong(1);
            }
          }
        });
  }

  /**
   * Leases to {@code owner} until {@code now + lease} the oldest running action that no node holds
   * (or whose holder's lease expired), if any.
   */
  public Optional<BulkAction> claim(String owner, Instant now, Duration lease) {
    // Every node asks every second: a read first, so an idle store takes no write for it.
    boolean any =
        database.read(
            "find bulk action to run",
            c -> {
              try (PreparedStatement s =
                  c.prepareStatement(
                      "SELECT 1 FROM bulk_actions WHERE status = 'running'"
                          + " AND (lease_expires_at IS NULL OR lease_expires_at < ?) LIMIT 1")) {
                s.setLong(1, now.toEpochMilli());
                try (ResultSet row = s.executeQuery()) {
                  return row.next();
                }
              }
            });
    if (!any) return Optional.empty();
    return database.write(
        "claim bulk action",
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  """
                  UPDATE bulk_actions SET lease_owner = ?, lease_expires_at = ?
                  WHERE id = (SELECT id FROM bulk_actions
                      WHERE status = 'running' AND (lease_expires_at IS NULL OR lease_expires_at < ?)
                      ORDER BY id LIMIT 1%s)
                    AND status = 'running' AND (lease_expires_at IS NULL OR lease_expires_at < ?)
                  RETURNING %s"""
                      .formatted(database.dialect().skipLockedClause(), COLUMNS))) {
            s.setString(1, owner);
            s.setLong(2, now.plus(lease).toEpochMilli());
            s.setLong(3, now.toEpochMilli());
            s.setLong(4, now.toEpochMilli());
            return one(s);
          }
        });
  }

  /** Records the count of the tasks the action matches; false when {@code owner} lost it. */
  public boolean counted(String id, String owner, long matched, Instant leaseUntil) {
    return database.write(
        "count bulk action",
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  """
                  UPDATE bulk_actions SET matched = ?, lease_expires_at = ?
                  WHERE id = ? AND lease_owner = ? AND status = 'running'""")) {
            s.setLong(1, matched);
            s.setLong(2, leaseUntil.toEpochMilli());
            s.setString(3, id);
            s.setString(4, owner);
            return s.executeUpdate() == 1;
          }
        });
  }

  /**
   * The ids of the next (up to) {@code max} tasks the action matches after its cursor, in id order.
   * A read: the batch re-checks them as it acts.
   */
  public List<TaskId> next(BulkAction action, int max) {
    BulkFilterSql where = BulkFilterSql.of(action.filter(), database.dialect());
    return database.readInIndexOrder(
        "read bulk action tasks",
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "SELECT id FROM tasks WHERE "
                      + where.condition()
                      + " AND id > ? AND id < ? ORDER BY id LIMIT ?")) {
            int next = where.bind(s, 1);
            s.setString(next++, action.cursor() == null ? "" : action.cursor());
            s.setString(next++, action.uptoTaskId());
            s.setInt(next, max);
            List<TaskId> ids = new ArrayList<>();
            try (ResultSet row = s.executeQuery()) {
              while (row.next()) ids.add(new TaskId(row.getString(1)));
            }
            return ids;
          }
        });
  }

  /**
   * Acts on {@code ids} (from {@link #next}, in id order) in one transaction while {@code owner}
   * holds the action: each task the filter still matches is retried, cancelled or deleted as by its
   * single-task action, or counted as failed when its status does not allow it. The cursor moves
   * past the last id; {@code last} finishes the action. The lease is extended to {@code
   * leaseUntil}.
   */
  public BulkBatch apply(
      BulkAction action,
      String owner,
      List<TaskId> ids,
      boolean last,
      Instant now,
      Instant leaseUntil) {
    return database.write(
        "bulk action batch",
        c -> {
          if (!hold(c, action.id(), owner, leaseUntil)) return new BulkBatch.Stopped();
          List<BulkBatch.Acted> acted = new ArrayList<>();
          int failed = 0;
          for (Map.Entry<TaskId, TaskStatus> matching : stillMatching(c, action, ids).entrySet()) {
            TaskId id = matching.getKey();
            // a running pull task's attempt is ended after a cancel, from the task as it was
            Task before =
                action.verb() == BulkVerb.CANCEL && matching.getValue() == TaskStatus.RUNNING
                    ? TaskRows.find(c, id).orElse(null)
                    : null;
            ActionResult result =
                switch (action.verb()) {
                  case RETRY -> actions.retry(c, id, now);
                  case CANCEL -> actions.cancel(c, id, now);
                  case DELETE -> TaskDeletes.deleteFinished(c, id);
                };
            switch (result) {
              case ActionResult.Done done -> acted.add(new BulkBatch.Acted(before, done.task()));
              case ActionResult.WrongState wrong -> failed++;
              case ActionResult.NotFound missing -> {}
            }
          }
          try (PreparedStatement s =
              c.prepareStatement(
                  """
                  UPDATE bulk_actions SET cursor_task_id = COALESCE(?, cursor_task_id),
                    done = done + ?, failed = failed + ?, status = ?, finished_at = ?,
                    lease_owner = CASE WHEN ? THEN NULL ELSE lease_owner END,
                    lease_expires_at = CASE WHEN ? THEN NULL ELSE lease_expires_at END
                  WHERE id = ?""")) {
            s.setString(1, ids.isEmpty() ? null : ids.getLast().value());
            s.setLong(2, acted.size());
            s.setLong(3, failed);
            s.setString(4, (last ? BulkStatus.SUCCEEDED : BulkStatus.RUNNING).wire());
            if (last) s.setLong(5, now.toEpochMilli());
            else s.setNull(5, java.sql.Types.BIGINT);
            s.setBoolean(6, last);
            s.setBoolean(7, last);
            s.setString(8, action.id());
            s.executeUpdate();
          }
          return new BulkBatch.Applied(acted, last);
        });
  }

  /**
   * Lets go of every lease: on a single-node store at start-up, whatever held one is gone, and its
   * actions go on from their cursors at once.
   */
  public int releaseLeases() {
    return database.write(
        "release bulk actions",
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "UPDATE bulk_actions SET lease_owner = NULL, lease_expires_at = NULL"
                      + " WHERE status = 'running' AND lease_owner IS NOT NULL")) {
            return s.executeUpdate();
          }
        });
  }

  /** Deletes actions that finished before {@code before}; returns how many. */
  public int forgetFinished(Instant before) {
    return database.write(
        "forget bulk actions",
        c -> {
          try (PreparedStatement s =
              c.prepareStatement("DELETE FROM bulk_actions WHERE finished_at < ?")) {
            s.setLong(1, before.toEpochMilli());
            return s.executeUpdate();
          }
        });
  }

  /**
   * Extends the lease of a running action {@code owner} holds, which also locks its row against a
   * cancel until the batch commits; false when it is not running or not {@code owner}'s.
   */
  private static boolean hold(Connection c, String id, String owner, Instant leaseUntil)
      throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            """
            UPDATE bulk_actions SET lease_expires_at = ?
            WHERE id = ? AND lease_owner = ? AND status = 'running'""")) {
      s.setLong(1, leaseUntil.toEpochMilli());
      s.setString(2, id);
      s.setString(3, owner);
      return s.executeUpdate() == 1;
    }
  }

  /** Which of {@code ids} the action's filter matches now, in id order, with their statuses. */
  private Map<TaskId, TaskStatus> stillMatching(Connection c, BulkAction action, List<TaskId> ids)
      throws SQLException {
    if (ids.isEmpty()) return Map.of();
    BulkFilterSql where = BulkFilterSql.of(action.filter(), database.dialect());
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT id, status FROM tasks WHERE id IN (%s) AND %s ORDER BY id"
                .formatted(ClaimSql.placeholders(ids.size()), where.condition()))) {
      int next = 1;
      for (TaskId id : ids) s.setString(next++, id.value());
      where.bind(s, next);
      Map<TaskId, TaskStatus> matching = new LinkedHashMap<>();
      try (ResultSet row = s.executeQuery()) {
        while (row.next())
          matching.put(
              new TaskId(row.getString(1)), TaskStatus.fromWire(row.getString(2)).orElseThrow());
      }
      return matching;
    }
  }

  private static Optional<BulkAction> find(Connection c, String id) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement("SELECT " + COLUMNS + " FROM bulk_actions WHERE id = ?")) {
      s.setString(1, id);
      return one(s);
    }
  }

  private static Optional<BulkAction> one(PreparedStatement s) throws SQLException {
    List<BulkAction> rows = all(s);
    return rows.isEmpty() ? Optional.empty() : Optional.of(rows.getFirst());
  }

  private static List<BulkAction> all(PreparedStatement s) throws SQLException {
    List<BulkAction> rows = new ArrayList<>();
    try (ResultSet row = s.executeQuery()) {
      while (row.next()) {
        long matched = row.getLong(5);
        boolean counted = !row.wasNull();
        long finishedAt = row.getLong(9);
        boolean finished = !row.wasNull();
        rows.add(
            new BulkAction(
                row.getString(1),
                BulkVerb.fromWire(row.getString(2)).orElseThrow(),
                BulkFilter.parse(row.getString(3)),
                BulkStatus.fromWire(row.getString(4)),
                counted ? matched : null,
                row.getLong(6),
                row.getLong(7),
                Instant.ofEpochMilli(row.getLong(8)),
                finished ? Instant.ofEpochMilli(finishedAt) : null,
                row.getString(10),
                row.getString(11)));
      }
    }
    return rows;
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
