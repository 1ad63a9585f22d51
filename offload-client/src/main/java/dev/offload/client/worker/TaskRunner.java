package dev.offload.client.worker;

import dev.offload.client.OffloadConnectionException;
import dev.offload.client.OffloadException;
import dev.offload.client.Workers;
import java.lang.System.Logger.Level;

/** Runs one handler and reports its outcome; a cancelled task reports nothing. */
final class TaskRunner {
  private static final System.Logger log = System.getLogger(OffloadWorker.class.getName());
  private static final int REPORT_TRIES = 5;

  private final Workers api;

  TaskRunner(Workers api) {
    this.api = api;
  }

  <T> void run(WorkerTask task, OffloadWorker.Dispatch<T> dispatch) {
    if (dispatch == null) {
      report(
          task.taskId(),
          () ->
              api.fail(
                  task.taskId(),
                  task.leaseToken(),
                  "no handler for \"" + task.name() + "\" in this worker",
                  false));
      return;
    }
    T payload;
    try {
      payload = task.payloadAs(dispatch.type());
    } catch (IllegalArgumentException e) {
      report(
          task.taskId(),
          () ->
              api.fail(
                  task.taskId(),
                  task.leaseToken(),
                  "payload does not fit " + dispatch.type().getName() + ": " + e.getMessage(),
                  false));
      return;
    }
    Object result;
    try {
      result = dispatch.handler().handle(task, payload);
    } catch (NonRetryableException e) {
      if (!task.isCancelled())
        report(task.taskId(), () -> api.fail(task.taskId(), task.leaseToken(), describe(e), false));
      return;
    } catch (Exception | Error e) {
      if (e instanceof InterruptedException) Thread.currentThread().interrupt();
      if (!task.isCancelled())
        report(task.taskId(), () -> api.fail(task.taskId(), task.leaseToken(), describe(e), true));
      return;
    }
    if (!task.isCancelled())
      report(task.taskId(), () -> api.complete(task.taskId(), task.leaseToken(), result));
  }

  /**
   * Hands back a task the worker gives up on (or leased) while stopping, so it runs again at once
   * elsewhere.
   */
  void release(String taskId, String leaseToken) {
    report(taskId, () -> api.release(taskId, leaseToken));
  }

  private static String describe(Throwable e) {
    String message = e.getMessage() == null ? "" : ": " + e.getMessage();
    String text = e.getClass().getName() + message;
    return text.length() <= 10_000 ? text : text.substring(0, 10_000);
  }

  /**
   * Sends a completion; retries when no answer came, gives up when the server refuses (lease lost).
   */
  private static void report(String taskId, Runnable call) {
    Thread.interrupted();
    for (int attempt = 1; attempt <= REPORT_TRIES; attempt++) {
      try {
        call.run();
        return;
      } catch (OffloadConnectionException e) {
        log.log(
            Level.WARNING,
            "cannot report task {0} (try {1} of {2}): {3}",
            taskId,
            attempt,
            REPORT_TRIES,
            e.getMessage());
        try {
          Thread.sleep(200L * attempt);
        } catch (InterruptedException interrupted) {
          return;
        }
      } catch (OffloadException e) {
        log.log(Level.INFO, "task {0}: the server refused the report: {1}", taskId, e.getMessage());
        return;
      }
    }
  }
}
