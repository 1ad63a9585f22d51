package dev.offload.engine;

import dev.offload.store.FinishedAttempt;
import dev.offload.task.NewTask;
import dev.offload.task.Task;
import dev.offload.task.TaskStatus;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One log line per state change of a task, on the logger {@code dev.offload.state}, with the
 * task id, queue, attempt and (for a finished attempt) outcome as key-value pairs, so JSON logs
 * carry them as fields. Lines of changes a request caused carry that request's log context
 * (its {@code requestId}).
 */
final class StateLog {
  private static final Logger log = LoggerFactory.getLogger("dev.offload.state");

  private StateLog() {}

  static void created(NewTask task, TaskStatus status, Map<String, String> requestContext) {
    if (!log.isInfoEnabled()) return;
    Map<String, String> previous = MDC.getCopyOfContextMap();
    if (requestContext != null) MDC.setContextMap(requestContext);
    try {
      log.atInfo().addKeyValue("taskId", task.id().value()).addKeyValue("queue", task.queue())
          .addKeyValue("attempt", 0).addKeyValue("status", status.wire())
          .log("task {} created in queue {}: {}", task.id(), task.queue(), status.wire());
    } finally {
      if (previous == null) MDC.clear();
      else MDC.setContextMap(previous);
    }
  }

  static void started(Task task) {
    log.atInfo().addKeyValue("taskId", task.id().value()).addKeyValue("queue", task.queue())
        .addKeyValue("attempt", task.attempts()).addKeyValue("status", TaskStatus.RUNNING.wire())
        .log("task {} attempt {} in queue {}: running", task.id(), task.attempts(), task.queue());
  }

  static void finished(FinishedAttempt finished) {
    String outcome = finished.attempt().outcome().wire();
    String status = finished.transition().status().wire();
    log.atInfo().addKeyValue("taskId", finished.attempt().taskId().value()).addKeyValue("queue", finished.queue())
        .addKeyValue("attempt", finished.attempt().number()).addKeyValue("outcome", outcome)
        .addKeyValue("status", status)
        .log("task {} attempt {} in queue {}: {} -> {}", finished.attempt().taskId(), finished.attempt().number(),
            finished.queue(), outcome, status);
  }

  /** A change a user asked for: cancelled, or re-queued by a retry. */
  static void changed(Task task, String how) {
    log.atInfo().addKeyValue("taskId", task.id().value()).addKeyValue("queue", task.queue())
        .addKeyValue("attempt", task.attempts()).addKeyValue("status", task.status().wire())
        .log("task {} in queue {} {}: {}", task.id(), task.queue(), how, task.status().wire());
  }
}
