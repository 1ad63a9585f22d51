package dev.offload.engine;

import dev.offload.event.EventsConfig;
import dev.offload.metrics.QueueLabels;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.time.Duration;

/**
 * Where the engine reports: {@code registry} receives its metrics (the server passes its Prometheus
 * registry), queue gauges are read from the store every {@code gaugeRefresh}, at most {@code
 * maxQueueLabels} queue names label metrics, and {@code events} tunes event streams.
 */
public record Observability(
    MeterRegistry registry, Duration gaugeRefresh, int maxQueueLabels, EventsConfig events) {
  public static final Duration DEFAULT_GAUGE_REFRESH = Duration.ofSeconds(5);

  public Observability {
    if (registry == null || events == null)
      throw new IllegalArgumentException("registry and events are required");
    if (gaugeRefresh.isNegative() || gaugeRefresh.isZero()) {
      throw new IllegalArgumentException("gaugeRefresh must be > 0, got " + gaugeRefresh);
    }
    new QueueLabels(maxQueueLabels);
  }

  /** Metrics kept in memory only, default event settings: for the engine used as a library. */
  public static Observability defaults() {
    return of(new CompositeMeterRegistry());
  }

  public static Observability of(MeterRegistry registry) {
    return new Observability(
        registry, DEFAULT_GAUGE_REFRESH, QueueLabels.DEFAULT_MAX, EventsConfig.DEFAULT);
  }
}
