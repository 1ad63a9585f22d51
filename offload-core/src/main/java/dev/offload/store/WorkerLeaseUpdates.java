package dev.offload.store;

import dev.offload.task.ActionResult;
import dev.offload.task.LeaseRenewal;
import dev.offload.task.TaskId;
import java.sql.PreparedStatement;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What a worker does to the pull tasks it holds besides finishing them: renew their leases (many in
 * one transaction, so a worker running many tasks sends one heartbeat) and hand one back. Each
 * update holds only while the task runs under the given lease token and its attempt is within
 * its timeout.
 */
final class WorkerLeaseUpdates {
  private static final String HELD = """
      WHERE id = ? AND status = 'running' AND lease_owner = ? AND name IS NOT NULL
        AND (timeout_ms IS NULL OR attempt_started_at + timeout_ms > ?)""";
  /** The lease end of an attempt: {@code now + leaseFor}, but never past the attempt's timeout. */
  private static final String CAPPED_EXPIRY =
      "CASE WHEN timeout_ms IS NOT NULL AND attempt_started_at + timeout_ms < ? THEN attempt_started_at + timeout_ms ELSE ? END";

  private final Database database;

  WorkerLeaseUpdates(Database database) {
    this.database = database;
  }

  /** One result per renewal, in order. */
  List<ActionResult> renew(List<LeaseRenewal> renewals, Instant now, Duration leaseFor) {
    String sql = "UPDATE tasks SET lease_expires_at = " + CAPPED_EXPIRY + ", progress = COALESCE(?, progress) " + HELD;
    long until = now.plus(leaseFor).toEpochMilli();
    return database.write("renew worker leases", c -> {
      List<ActionResult> results = new ArrayList<>(renewals.size());
      try (PreparedStatement s = c.prepareStatement(sql)) {
        for (LeaseRenewal renewal : renewals) {
          s.setLong(1, until);
          s.setLong(2, until);
          if (renewal.progressJson() == null) s.setNull(3, Types.VARCHAR);
          else s.setString(3, renewal.progressJson());
          s.setString(4, renewal.id().value());
          s.setString(5, renewal.leaseToken());
          s.setLong(6, now.toEpochMilli());
          results.add(TaskActions.result(c, renewal.id(), s.executeUpdate()));
        }
      }
      return results;
    });
  }

  /**
   * Puts a task back to {@code queued}, due at once, without counting the attempt against its
   * retries: the worker gave it up (it is stopping), it did not fail.
   */
  ActionResult release(TaskId id, String leaseToken, Instant now) {
    return database.write("release worker lease", c -> {
      int changed;
      try (PreparedStatement s = c.prepareStatement("""
          UPDATE tasks SET status = 'queued', due_at = ?, attempts = attempts - 1,
            lease_owner = NULL, lease_expires_at = NULL, attempt_started_at = NULL
          """ + HELD)) {
        s.setLong(1, now.toEpochMilli());
        s.setString(2, id.value());
        s.setString(3, leaseToken);
        s.setLong(4, now.toEpochMilli());
        changed = s.executeUpdate();
      }
      return TaskActions.result(c, id, changed);
    });
  }
}
