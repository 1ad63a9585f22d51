package dev.offload.store;

import dev.offload.queue.QueueInfo;
import dev.offload.queue.QueueSettings;
import dev.offload.queue.QueueTimeline;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Queue settings and figures. A queue exists once a task names it or settings are put for it;
 * its limits hold across every node sharing the store.
 */
public interface QueueStore {
  /** Every queue that has tasks or settings, by name, with its figures at {@code now}. */
  List<QueueInfo> list(Instant now);

  /** One queue, empty when no task ever named it and no settings were put for it. */
  Optional<QueueInfo> find(String name, Instant now);

  /**
   * The queue's last hour minute by minute, the last minute being the one of {@code now}; empty
   * like {@link #find} for a queue no task ever named and no settings were put for.
   */
  Optional<QueueTimeline> history(String name, Instant now);

  /** Replaces the settings of {@code name} (creating the queue) and refills its rate bucket. */
  QueueInfo put(String name, QueueSettings settings, Instant now);
}
