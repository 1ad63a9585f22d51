package dev.offload.store;

import dev.offload.task.CreateResult;
import dev.offload.task.TaskBatch;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** New tasks and the idempotency keys that make a repeated create replay the first. */
public final class TaskInserts {
  private final Database database;
  private final FlowControl flow;

  TaskInserts(Database database, FlowControl flow) {
    this.database = database;
    this.flow = flow;
  }

  /**
   * Creates the batches in one transaction (group commit), each all-or-nothing: a batch whose
   * idempotency key is held by a different request hash creates nothing; a key held by the same
   * hash within its time-to-live replays the original task.
   */
  public List<CreateResult> create(List<TaskBatch> batches, Instant now, Duration idempotencyTtl) {
    Set<String> keyedQueues = new HashSet<>();
    batches.forEach(
        b ->
            b.tasks().stream()
                .filter(t -> t.concurrencyKey() != null)
                .forEach(t -> keyedQueues.add(t.queue())));
    Set<String> withRow = keyedQueues.isEmpty() ? Set.of() : flow.queues();
    List<CreateResult> results =
        database.write(
            "create tasks", c -> new InsertBatch(c, now, idempotencyTtl, withRow).create(batches));
    if (!withRow.containsAll(keyedQueues)) flow.invalidate();
    return results;
  }

  /** Deletes idempotency keys that expired before {@code now}; returns how many. */
  public int purgeExpiredKeys(Instant now) {
    return database.write(
        "purge idempotency keys",
        c -> {
          try (PreparedStatement s =
              c.prepareStatement("DELETE FROM idempotency_keys WHERE expires_at < ?")) {
            s.setLong(1, now.toEpochMilli());
            return s.executeUpdate();
          }
        });
  }
}
