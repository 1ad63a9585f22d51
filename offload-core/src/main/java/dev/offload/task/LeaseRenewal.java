package dev.offload.task;

/**
 * One worker lease to extend: the task, the token it was leased with, and progress to record (null
 * keeps the last).
 */
public record LeaseRenewal(TaskId id, String leaseToken, String progressJson) {}
