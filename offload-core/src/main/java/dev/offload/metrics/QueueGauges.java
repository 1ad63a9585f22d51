package dev.offload.metrics;

import dev.offload.queue.QueueDepth;
import dev.offload.store.QueueStore;
import dev.offload.task.TaskStatus;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code offload_queue_depth{queue,status}} and {@code
 * offload_queue_oldest_ready_age_seconds{queue}}, refreshed from the store by {@link #refresh()} on
 * a timer rather than per scrape, so scrapes cost the database nothing. The store's view is shared,
 * so every node reports the same values: aggregate them with {@code max}, not {@code sum}.
 */
public final class QueueGauges {
  private final QueueStore store;
  private final Clock clock;
  private final QueueLabels queues;
  private final MultiGauge depth;
  private final MultiGauge oldestReadyAge;

  /** Queues seen so far (bounded by the labels): they report 0 rather than vanish when idle. */
  private final Set<String> seen = new HashSet<>();

  public QueueGauges(MeterRegistry registry, QueueStore store, Clock clock, QueueLabels queues) {
    this.store = store;
    this.clock = clock;
    this.queues = queues;
    this.depth =
        MultiGauge.builder("offload.queue.depth")
            .description("Active tasks by queue and status")
            .register(registry);
    this.oldestReadyAge =
        MultiGauge.builder("offload.queue.oldest.ready.age")
            .baseUnit("seconds")
            .description("How long the oldest ready task of a queue has waited for a dispatcher")
            .register(registry);
  }

  public synchronized void refresh() {
    Instant now = clock.instant();
    Map<Tags, Long> counts = new HashMap<>();
    Map<String, Instant> oldest = new HashMap<>();
    for (QueueDepth row : store.queueDepths(now)) {
      String queue = queues.of(row.queue());
      counts.merge(Tags.of("queue", queue, "status", row.status().wire()), row.count(), Long::sum);
      if (row.oldestReadySince() != null)
        oldest.merge(queue, row.oldestReadySince(), (a, b) -> a.isBefore(b) ? a : b);
      seen.add(queue);
    }
    List<MultiGauge.Row<?>> depthRows = new ArrayList<>();
    for (String queue : seen) {
      for (TaskStatus status :
          List.of(
              TaskStatus.SCHEDULED, TaskStatus.QUEUED, TaskStatus.RUNNING, TaskStatus.RETRYING)) {
        Tags tags = Tags.of("queue", queue, "status", status.wire());
        depthRows.add(MultiGauge.Row.of(tags, counts.getOrDefault(tags, 0L)));
      }
    }
    depth.register(depthRows, true);
    List<MultiGauge.Row<?>> ageRows = new ArrayList<>();
    for (String queue : seen) {
      Instant since = oldest.get(queue);
      ageRows.add(
          MultiGauge.Row.of(
              Tags.of("queue", queue),
              since == null ? 0 : Math.max(0, Duration.between(since, now).toMillis()) / 1000.0));
    }
    oldestReadyAge.register(ageRows, true);
  }
}
