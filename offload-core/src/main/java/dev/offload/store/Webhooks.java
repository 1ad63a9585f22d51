package dev.offload.store;

import dev.offload.task.Task;
import dev.offload.task.WebhookResult;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The completion webhooks waiting to go out. An interface so that the sender's handling of a
 * failing write can be tested against a store that fails on purpose.
 */
public interface Webhooks {
  /** Leases up to {@code max} due webhook deliveries until {@code now + lease}. */
  List<Task> claimDueWebhooks(Instant now, int max, Duration lease);

  /**
   * Records one delivery; it stays pending (due at its next attempt) or ends delivered or given up.
   */
  void recordWebhook(WebhookResult result);

  /** When the next pending webhook delivery is due, if any is pending. */
  Optional<Instant> nextWebhookDueAt();
}
