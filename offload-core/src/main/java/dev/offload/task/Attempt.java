package dev.offload.task;

import java.time.Instant;

/** One recorded attempt of a task. {@code statusCode} is null when no response arrived. */
public record Attempt(
    TaskId taskId,
    int number,
    Instant startedAt,
    Instant finishedAt,
    AttemptOutcome outcome,
    Integer statusCode,
    String error,
    String responseExcerpt,
    String node) {

  public long durationMs() {
    return finishedAt.toEpochMilli() - startedAt.toEpochMilli();
  }
}
