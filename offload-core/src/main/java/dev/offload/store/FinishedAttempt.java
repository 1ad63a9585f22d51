package dev.offload.store;

import dev.offload.task.Attempt;
import dev.offload.task.Transition;

/**
 * An attempt to record and the transition to apply, applied only while the task is still running
 * that attempt under {@code leaseOwner}'s lease (a cancel or an expired lease wins).
 */
public record FinishedAttempt(Attempt attempt, String leaseOwner, Transition transition) {}
