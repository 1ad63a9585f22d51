package dev.offload.engine;

import dev.offload.queue.QueueInfo;
import dev.offload.queue.QueueSettings;
import dev.offload.queue.QueueTimeline;
import dev.offload.store.QueueStore;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * Queue settings and figures (README: Queues). A change wakes the claimers of every node, so a
 * resumed or widened queue is served at once rather than at the next poll.
 */
public final class Queues {
  private final QueueStore store;
  private final Clock clock;
  private final Runnable changed;

  Queues(QueueStore store, Clock clock, Runnable changed) {
    this.store = store;
    this.clock = clock;
    this.changed = changed;
  }

  public List<QueueInfo> list() {
    return store.list(clock.instant());
  }

  public Optional<QueueInfo> find(String name) {
    return store.find(name, clock.instant());
  }

  /**
   * The queue's last hour minute by minute, ending with the current minute; empty for an unknown
   * queue.
   */
  public Optional<QueueTimeline> history(String name) {
    return store.history(name, clock.instant());
  }

  public QueueInfo put(String name, QueueSettings settings) {
    QueueInfo queue = store.put(name, settings, clock.instant());
    changed.run();
    return queue;
  }
}
