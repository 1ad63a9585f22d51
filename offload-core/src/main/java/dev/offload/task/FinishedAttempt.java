package dev.offload.task;

import java.time.Instant;

/**
 * An attempt to record and the transition to apply, applied only while the task is still running
 * that attempt under {@code leaseOwner}'s lease (a cancel or an expired lease wins). A reaper sets
 * {@code leaseExpiredBefore}: then the transition applies only if the lease is still expired at
 * commit, so a slow owner that renewed in the meantime keeps its task. {@code queue} is the task's,
 * for metrics and logs (null when the writer does not know it). See docs/state_machine.md (Ending
 * an attempt).
 */
public record FinishedAttempt(
    Attempt attempt,
    String leaseOwner,
    Transition transition,
    Instant leaseExpiredBefore,
    String queue) {
  public FinishedAttempt(Attempt attempt, String leaseOwner, Transition transition) {
    this(attempt, leaseOwner, transition, null, null);
  }
}
