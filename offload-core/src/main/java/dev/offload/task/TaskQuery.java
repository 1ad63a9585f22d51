package dev.offload.task;

/** A page of tasks, newest first; null filters match everything; {@code before} is the cursor. */
public record TaskQuery(
    String queue, TaskStatus status, String scheduleName, int limit, TaskId before) {
  public static final int MAX_LIMIT = 500;

  public TaskQuery {
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException("limit must be 1.." + MAX_LIMIT + ", got " + limit);
    }
  }
}
