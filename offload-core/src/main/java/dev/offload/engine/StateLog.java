package dev.offload.engine;

import dev.offload.store.FinishedAttempt;
import dev.offload.task.AttemptOutcome;
import dev.offload.task.Task;
import dev.offload.task.TaskId;
import dev.offload.task.TaskStatus;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One log line per state change of a task, on the logger {@code dev.offload.state}, with the
 * task id, queue, attempt and (for a finished attempt) outcome as key-value pairs, so JSON logs
 * carry them as fields. Lines of changes a request caused carry that request's log context
 * (its {@code requestId}).
 *
 * <p>The threads that report changes include the engine's single hot threads, so they only
 * capture each change as a small record (and the caller's log context); a thread of its own
 * formats and logs the lines, in the order the changes were reported, with each line's log context
 * restored around it. {@link #close} writes the lines still queued.
 */
final class StateLog implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger("dev.offload.state");
  /** About a second of lines at full speed; a full queue makes the reporting thread wait. */
  private static final int CAPACITY = 8_192;
  private static final Duration LINGER = Duration.ofMillis(1);

  private final Handoff<Line> lines = new Handoff<>("offload-state-log", CAPACITY, LINGER, StateLog::write);

  void created(List<TaskIntake.Accepted> accepted) {
    if (!log.isInfoEnabled()) return;
    for (TaskIntake.Accepted task : accepted) {
      lines.add(new Created(task.task().id(), task.task().queue(), task.status(), task.logContext()));
    }
  }

  void started(Task task) {
    if (!log.isInfoEnabled()) return;
    lines.add(new Started(task.id(), task.queue(), task.attempts(), MDC.getCopyOfContextMap()));
  }

  void finished(List<FinishedAttempt> attempts) {
    if (!log.isInfoEnabled()) return;
    Map<String, String> context = MDC.getCopyOfContextMap();
    for (FinishedAttempt finished : attempts) {
      lines.add(new Finished(finished.attempt().taskId(), finished.queue(), finished.attempt().number(),
          finished.attempt().outcome(), finished.transition().status(), context));
    }
  }

  /** A change a user asked for: cancelled, or re-queued by a retry. */
  void changed(Task task, String how) {
    if (!log.isInfoEnabled()) return;
    lines.add(new Changed(task.id(), task.queue(), task.attempts(), how, task.status(), MDC.getCopyOfContextMap()));
  }

  @Override
  public void close() {
    lines.close();
  }

  /** Logs a batch, each line in its own log context, and leaves the thread's context as it was. */
  private static void write(List<Line> batch) {
    Map<String, String> previous = MDC.getCopyOfContextMap();
    Map<String, String> current = previous;
    try {
      for (Line line : batch) {
        // lines of one request share one context map: switch only when it changes
        if (line.context() != current) {
          current = line.context();
          if (current == null) MDC.clear();
          else MDC.setContextMap(current);
        }
        line.writeTo(log);
      }
    } finally {
      if (previous == null) MDC.clear();
      else MDC.setContextMap(previous);
    }
  }

  /** A state change as reported, with the log context ({@code null}: none) to write it in. */
  private sealed interface Line {
    Map<String, String> context();

    void writeTo(Logger log);
  }

  private record Created(TaskId id, String queue, TaskStatus status, Map<String, String> context) implements Line {
    @Override
    public void writeTo(Logger log) {
      log.atInfo().addKeyValue("taskId", id.value()).addKeyValue("queue", queue)
          .addKeyValue("attempt", 0).addKeyValue("status", status.wire())
          .log("task {} created in queue {}: {}", id, queue, status.wire());
    }
  }

  private record Started(TaskId id, String queue, int attempt, Map<String, String> context) implements Line {
    @Override
    public void writeTo(Logger log) {
      log.atInfo().addKeyValue("taskId", id.value()).addKeyValue("queue", queue)
          .addKeyValue("attempt", attempt).addKeyValue("status", TaskStatus.RUNNING.wire())
          .log("task {} attempt {} in queue {}: running", id, attempt, queue);
    }
  }

  private record Finished(TaskId id, String queue, int attempt, AttemptOutcome outcome, TaskStatus status,
      Map<String, String> context) implements Line {
    @Override
    public void writeTo(Logger log) {
      log.atInfo().addKeyValue("taskId", id.value()).addKeyValue("queue", queue)
          .addKeyValue("attempt", attempt).addKeyValue("outcome", outcome.wire()).addKeyValue("status", status.wire())
          .log("task {} attempt {} in queue {}: {} -> {}", id, attempt, queue, outcome.wire(), status.wire());
    }
  }

  private record Changed(TaskId id, String queue, int attempt, String how, TaskStatus status,
      Map<String, String> context) implements Line {
    @Override
    public void writeTo(Logger log) {
      log.atInfo().addKeyValue("taskId", id.value()).addKeyValue("queue", queue)
          .addKeyValue("attempt", attempt).addKeyValue("status", status.wire())
          .log("task {} in queue {} {}: {}", id, queue, how, status.wire());
    }
  }
}
