package dev.offload.client;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What a worker asks for ({@code POST /v1/workers/lease}): up to {@code max} tasks (1 to 100) of
 * {@code queues} with one of {@code names} (an empty list matches any), waiting up to {@code
 * waitFor} (at most 60 s) for one, each leased for {@code leaseFor} (1 s to 1 h) and renewed by
 * heartbeats. {@code workerId} names the worker in the attempts it runs.
 */
public record LeaseRequest(
    String workerId,
    List<String> queues,
    List<String> names,
    int max,
    Duration waitFor,
    Duration leaseFor) {
  public static final Duration DEFAULT_WAIT = Duration.ofSeconds(20);
  public static final Duration DEFAULT_LEASE = Duration.ofSeconds(60);

  public LeaseRequest {
    Objects.requireNonNull(workerId, "workerId");
    queues = List.copyOf(queues);
    names = List.copyOf(names);
    if (max < 1 || max > 100)
      throw new IllegalArgumentException("max must be 1 to 100, got " + max);
    WireDurations.requireNonNegative(waitFor, "waitFor");
    if (waitFor.compareTo(Tasks.MAX_WAIT) > 0)
      throw new IllegalArgumentException("waitFor must be at most 60s, got " + waitFor);
    WireDurations.requireNonNegative(leaseFor, "leaseFor");
    if (leaseFor.compareTo(Duration.ofSeconds(1)) < 0
        || leaseFor.compareTo(Duration.ofHours(1)) > 0) {
      throw new IllegalArgumentException("leaseFor must be 1s to 1h, got " + leaseFor);
    }
  }

  /** One task of the given names from any queue, with the default wait and lease. */
  public static LeaseRequest of(String workerId, List<String> names) {
    return new LeaseRequest(workerId, List.of(), names, 1, DEFAULT_WAIT, DEFAULT_LEASE);
  }
}
