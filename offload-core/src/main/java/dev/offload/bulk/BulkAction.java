package dev.offload.bulk;

import java.time.Instant;

/**
 * A bulk action as stored. It applies to tasks whose id sorts below {@code uptoTaskId} (those
 * created before it was accepted), visited in id order; {@code cursor} is the last task visited
 * (null before the first batch). {@code matched} is null until the runner counted the tasks.
 */
public record BulkAction(
    String id,
    BulkVerb verb,
    BulkFilter filter,
    BulkStatus status,
    Long matched,
    long done,
    long failed,
    Instant createdAt,
    Instant finishedAt,
    String uptoTaskId,
    String cursor) {
  /** The action with its cursor moved to {@code last}. */
  public BulkAction withCursor(String last) {
    return new BulkAction(
        id, verb, filter, status, matched, done, failed, createdAt, finishedAt, uptoTaskId, last);
  }
}
