package dev.offload.metrics;

import dev.offload.task.Attempt;
import dev.offload.task.FinishedAttempt;
import dev.offload.task.Task;
import dev.offload.task.TaskStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;

/**
 * What this node did, per queue (names as Prometheus shows them): {@code
 * offload_tasks_accepted_total} (OpenMetrics reserves a {@code _created} suffix, so not "created"),
 * {@code offload_tasks_finished_total{status}}, {@code offload_attempts_total{outcome}}, {@code
 * offload_attempt_duration_seconds} and {@code offload_dispatch_lag_seconds} (from a task's {@code
 * runAt} to the start of its first attempt). Histograms have fixed buckets, so each queue costs a
 * known number of series and {@code histogram_quantile} works across nodes.
 */
public final class TaskMetrics {
  private static final Duration[] BUCKETS = {
    Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
    Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
    Duration.ofMillis(2_500), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30),
    Duration.ofMinutes(1), Duration.ofMinutes(2), Duration.ofMinutes(5), Duration.ofMinutes(10),
    Duration.ofMinutes(30), Duration.ofHours(1)
  };

  private final MeterRegistry registry;
  private final QueueLabels queues;

  public TaskMetrics(MeterRegistry registry, QueueLabels queues) {
    this.registry = registry;
    this.queues = queues;
  }

  public void created(String queue) {
    counter("offload.tasks.accepted", "Tasks accepted (created, not replayed)", queue).increment();
  }

  public void started(Task task, Instant at) {
    if (task.attempts() != 1 || task.runAt() == null) return;
    Duration lag = Duration.between(task.runAt(), at);
    timer(
            "offload.dispatch.lag",
            "From a task's runAt to the start of its first attempt",
            task.queue())
        .record(lag.isNegative() ? Duration.ZERO : lag);
  }

  public void finished(FinishedAttempt finished) {
    Attempt attempt = finished.attempt();
    String queue = queues.of(finished.queue());
    Counter.builder("offload.attempts")
        .description("Finished attempts by outcome")
        .tags("queue", queue, "outcome", attempt.outcome().wire())
        .register(registry)
        .increment();
    timer(
            "offload.attempt.duration",
            "How long attempts took, whatever their outcome",
            finished.queue())
        .record(Duration.between(attempt.startedAt(), attempt.finishedAt()));
    TaskStatus status = finished.transition().status();
    if (status.isTerminal()) terminal(finished.queue(), status);
  }

  public void terminal(String queue, TaskStatus status) {
    Counter.builder("offload.tasks.finished")
        .description("Tasks that reached a final status")
        .tags("queue", queues.of(queue), "status", status.wire())
        .register(registry)
        .increment();
  }

  private Counter counter(String name, String description, String queue) {
    return Counter.builder(name)
        .description(description)
        .tag("queue", queues.of(queue))
        .register(registry);
  }

  private Timer timer(String name, String description, String queue) {
    return Timer.builder(name)
        .description(description)
        .tag("queue", queues.of(queue))
        .serviceLevelObjectives(BUCKETS)
        .register(registry);
  }
}
