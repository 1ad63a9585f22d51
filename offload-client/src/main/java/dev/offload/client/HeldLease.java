package dev.offload.client;

import java.util.Objects;

/**
 * A task a worker holds, for {@link Workers#heartbeat(java.util.List, java.time.Duration)}: its id,
 * the lease token it was leased with, and progress to record (any value Jackson can write; null
 * keeps the last).
 */
public record HeldLease(String taskId, String leaseToken, Object progress) {
  public HeldLease {
    Objects.requireNonNull(taskId, "taskId");
    Objects.requireNonNull(leaseToken, "leaseToken");
  }
}
