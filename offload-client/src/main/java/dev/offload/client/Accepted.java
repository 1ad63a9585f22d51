package dev.offload.client;

/**
 * The answer to a create: the task's id and status.
 *
 * @param replayed true when an earlier create with the same idempotency key made this task, so
 *     nothing new was created
 * @param task the whole task when the server answered with it — an idempotent replay, or a create
 *     with a wait that finished in time ({@link Tasks#create(TaskRequest, java.time.Duration)});
 *     otherwise null
 */
public record Accepted(String taskId, TaskStatus status, boolean replayed, TaskView task) {
  static Accepted of(TaskView task, boolean replayed) {
    return new Accepted(task.taskId(), task.status(), replayed, task);
  }
}
