package dev.offload.task;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A worker's request for pull tasks: up to {@code max} due tasks of {@code queues} with one of
 * {@code names} (an empty list matches any), leased until {@code now + leaseFor} but never past the
 * end of the attempt's timeout. Each task's lease token is {@code tokenPrefix} followed by its id,
 * so one statement gives every task its own token.
 */
public record PullClaim(
    String tokenPrefix,
    List<String> queues,
    List<String> names,
    Instant now,
    int max,
    Duration leaseFor) {
  public PullClaim {
    if (tokenPrefix == null || tokenPrefix.isEmpty())
      throw new IllegalArgumentException("tokenPrefix is required");
    queues = List.copyOf(queues);
    names = List.copyOf(names);
    if (max < 1) throw new IllegalArgumentException("max must be >= 1, got " + max);
    if (leaseFor == null || leaseFor.isNegative() || leaseFor.isZero()) {
      throw new IllegalArgumentException("leaseFor must be > 0, got " + leaseFor);
    }
  }
}
