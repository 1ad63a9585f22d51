package dev.offload.server;

import dev.offload.metrics.QueueLabels;
import java.time.Duration;

/**
 * Settings of {@code /metrics} and the event streams: a comment every {@code sseHeartbeat} keeps
 * idle streams open through proxies (and under Jetty's idle timeout), and at most {@code
 * maxQueueLabels} queue names label metrics (later queues share {@code queue="_other"}).
 */
public record MonitoringConfig(Duration sseHeartbeat, int maxQueueLabels) {
  public static final Duration DEFAULT_SSE_HEARTBEAT = Duration.ofSeconds(15);
  public static final MonitoringConfig DEFAULT =
      new MonitoringConfig(DEFAULT_SSE_HEARTBEAT, QueueLabels.DEFAULT_MAX);

  public MonitoringConfig {
    if (sseHeartbeat == null
        || sseHeartbeat.toMillis() < 1
        || sseHeartbeat.compareTo(Duration.ofSeconds(25)) > 0) {
      throw new IllegalArgumentException(
          "sseHeartbeat must be 1ms to 25s (below the 30s idle timeout), got " + sseHeartbeat);
    }
    if (maxQueueLabels < 1)
      throw new IllegalArgumentException("maxQueueLabels must be >= 1, got " + maxQueueLabels);
  }
}
