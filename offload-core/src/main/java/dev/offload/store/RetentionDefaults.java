package dev.offload.store;

import dev.offload.task.Retention;
import java.time.Duration;

/**
 * How long finished tasks are kept when neither the task nor its queue says: {@code succeeded} for
 * succeeded tasks, {@code failed} for failed and cancelled ones ({@code --retain-succeeded}, {@code
 * --retain-failed}).
 */
public record RetentionDefaults(Retention succeeded, Retention failed) {
  public static final RetentionDefaults DEFAULT =
      new RetentionDefaults(Retention.of(Duration.ofDays(7)), Retention.of(Duration.ofDays(30)));

  public RetentionDefaults {
    if (succeeded == null || failed == null)
      throw new IllegalArgumentException("both retentions are required");
  }
}
