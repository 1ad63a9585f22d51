package dev.offload.store;

import static dev.offload.store.TaskRows.setMillis;

import dev.offload.task.Task;
import dev.offload.task.WebhookResult;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * {@link Webhooks}, kept in the columns of their task: {@code webhook_due_at} is set while one is
 * pending, and a claim moves it on by the lease so that a sender that dies is retried later.
 */
final class WebhookRows implements Webhooks {
  private final Database database;

  WebhookRows(Database database) {
    this.database = database;
  }

  @Override
  public List<Task> claimDueWebhooks(Instant now, int max, Duration lease) {
    String sql =
        """
        UPDATE tasks SET webhook_due_at = ?
        FROM (SELECT id AS claimed_id FROM tasks WHERE webhook_due_at <= ? ORDER BY webhook_due_at LIMIT ?%s) AS claimed
        WHERE tasks.id = claimed.claimed_id
        RETURNING %s"""
            .formatted(database.dialect().skipLockedClause(), TaskRows.COLUMNS);
    return database.write(
        "claim due webhooks",
        c -> {
          try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setLong(1, now.plus(lease).toEpochMilli());
            s.setLong(2, now.toEpochMilli());
            s.setInt(3, max);
            return TaskRows.list(s);
          }
        });
  }

  @Override
  public void recordWebhook(WebhookResult result) {
    database.write(
        "record webhook delivery",
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  """
          UPDATE tasks SET webhook_status = ?, webhook_attempts = ?, webhook_last_error = ?,
            webhook_due_at = ? WHERE id = ? AND webhook_status = 'pending'""")) {
            s.setString(1, result.status().wire());
            s.setInt(2, result.attempts());
            s.setString(3, result.error());
            setMillis(s, 4, result.nextAttemptAt());
            s.setString(5, result.taskId().value());
            return s.executeUpdate();
          }
        });
  }

  @Override
  public Optional<Instant> nextWebhookDueAt() {
    return database.read(
        "find next webhook due time",
        c ->
            TaskRows.earliest(
                c,
                "SELECT webhook_due_at FROM tasks WHERE webhook_due_at IS NOT NULL ORDER BY webhook_due_at LIMIT 1"));
  }
}
