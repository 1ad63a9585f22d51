package dev.offload.engine;

import java.time.Duration;
import java.util.List;

/**
 * A pull worker asking for work ({@code POST /v1/workers/lease}): up to {@code max} tasks of {@code
 * queues} with one of {@code names} (empty lists match any), waiting up to {@code waitFor} for one
 * to become due, each leased for {@code leaseFor} (renewed by heartbeats).
 */
public record WorkRequest(
    String workerId,
    List<String> queues,
    List<String> names,
    int max,
    Duration waitFor,
    Duration leaseFor) {
  public static final int MAX_TASKS = 100;
  public static final Duration MAX_WAIT = Duration.ofSeconds(60);
  public static final Duration DEFAULT_WAIT = Duration.ofSeconds(20);
  public static final Duration MIN_LEASE = Duration.ofSeconds(1);
  public static final Duration MAX_LEASE = Duration.ofHours(1);
  public static final Duration DEFAULT_LEASE = Duration.ofSeconds(60);
  public static final String DEFAULT_WORKER_ID = "worker";

  public WorkRequest {
    queues = List.copyOf(queues);
    names = List.copyOf(names);
    if (max < 1 || max > MAX_TASKS)
      throw new IllegalArgumentException("max must be 1 to " + MAX_TASKS + ", got " + max);
    if (waitFor.isNegative() || waitFor.compareTo(MAX_WAIT) > 0)
      throw new IllegalArgumentException("wait must be 0 to 60s, got " + waitFor);
    if (leaseFor.compareTo(MIN_LEASE) < 0 || leaseFor.compareTo(MAX_LEASE) > 0) {
      throw new IllegalArgumentException("leaseFor must be 1s to 1h, got " + leaseFor);
    }
  }
}
