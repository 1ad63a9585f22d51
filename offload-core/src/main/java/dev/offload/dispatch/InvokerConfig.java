package dev.offload.dispatch;

import dev.offload.net.TargetGuard;
import java.time.Duration;

/** Outbound HTTP settings. */
public record InvokerConfig(
    Duration connectTimeout,
    int maxConnectionsPerTarget,
    int maxQueuedPerTarget,
    int maxResponseBytes,
    int threads,
    String userAgent,
    TargetGuard targetGuard) {
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
  public static final int DEFAULT_MAX_RESPONSE_BYTES = 1024 * 1024;

  public InvokerConfig {
    if (connectTimeout == null || connectTimeout.isNegative() || connectTimeout.isZero()) {
      throw new IllegalArgumentException("connectTimeout must be > 0, got " + connectTimeout);
    }
    if (maxConnectionsPerTarget < 1)
      throw new IllegalArgumentException("maxConnectionsPerTarget must be >= 1");
    if (maxQueuedPerTarget < 1)
      throw new IllegalArgumentException("maxQueuedPerTarget must be >= 1");
    if (maxResponseBytes < 1) throw new IllegalArgumentException("maxResponseBytes must be >= 1");
    if (targetGuard == null)
      throw new IllegalArgumentException("targetGuard is required (TargetGuard.off() for none)");
    if (threads < 4) throw new IllegalArgumentException("threads must be >= 4, got " + threads);
  }
}
