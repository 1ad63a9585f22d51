package dev.offload.engine;

import dev.offload.dispatch.WorkerLeases;
import dev.offload.task.Attempt;
import dev.offload.task.AttemptOutcome;
import dev.offload.task.FinishedAttempt;
import dev.offload.task.Task;
import dev.offload.task.TaskId;
import dev.offload.task.TaskStatus;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * One log line per state change of a task, on the logger {@code dev.offload.state}, with the task
 * id, queue, attempt and (for a finished attempt) outcome as key-value pairs, so JSON logs carry
 * them as fields. Lines of changes a request caused carry that request's log context (its {@code
 * requestId}).
 *
 * <p>The threads that report changes include the engine's single hot threads, so they only capture
 * each change as a small record (and the caller's log context); a thread of its own formats and
 * logs the lines, in the order the changes were reported, with each line's log context restored
 * around it. {@link #close} writes the lines still queued.
 */
final class StateLog implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger("dev.offload.state");

  /** About a second of lines at full speed; a full queue makes the reporting thread wait. */
  private static final int CAPACITY = 8_192;

  private static final Duration LINGER = Duration.ofMillis(1);

  private static final int MAX_TARGETS = 100_000;
  private final Map<TaskId, String> targets = new HashMap<>();
  private final Handoff<Line> lines =
      new Handoff<>("offload-state-log", CAPACITY, LINGER, this::write);

  void created(List<TaskIntake.Accepted> accepted) {
    if (!log.isInfoEnabled()) return;
    for (TaskIntake.Accepted task : accepted) {
      lines.add(
          new Created(task.task().id(), task.task().queue(), task.status(), task.logContext()));
    }
  }

  void started(Task task) {
    if (!log.isInfoEnabled()) return;
    lines.add(
        new Started(
            task.id(),
            task.queue(),
            task.attempts(),
            task.callbackUrl(),
            task.leaseOwner(),
            MDC.getCopyOfContextMap()));
  }

  void finished(List<FinishedAttempt> attempts) {
    if (!log.isInfoEnabled()) return;
    Map<String, String> context = MDC.getCopyOfContextMap();
    for (FinishedAttempt finished : attempts) {
      lines.add(
          new Finished(
              finished.attempt(),
              finished.queue(),
              finished.transition().status(),
              finished.transition().dueAt(),
              context));
    }
  }

  /** A change a user asked for, said as what happened ("cancelled", "re-queued by a retry"). */
  void changed(Task task, String how) {
    if (!log.isInfoEnabled()) return;
    lines.add(
        new Changed(
            task.id(),
            task.queue(),
            task.attempts(),
            how,
            task.status(),
            MDC.getCopyOfContextMap()));
  }

  /** Starts the thread that writes the lines; once. */
  void start() {
    lines.start();
  }

  /** Writes the lines still queued, then stops; idempotent. */
  @Override
  public void close() {
    lines.close();
  }

  /**
   * Logs a batch, each line in its own log context, and leaves the thread's context as it was. Only
   * this thread writes lines, so the targets of attempts in flight, noted at their start line for
   * their finish line, need no locking.
   */
  private void write(List<Line> batch) {
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
        if (line instanceof Started started) {
          // more than any node has in flight means finish lines that never came (tasks taken over
          // elsewhere)
          if (targets.size() >= MAX_TARGETS) targets.clear();
          String target = started.target();
          targets.put(started.id(), target);
          started.writeTo(log, target);
        } else if (line instanceof Finished finished) {
          finished.writeTo(log, targets.remove(finished.attempt().taskId()));
        } else {
          line.writeTo(log);
        }
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

  private record Created(TaskId id, String queue, TaskStatus status, Map<String, String> context)
      implements Line {
    @Override
    public void writeTo(Logger log) {
      log.atInfo()
          .addKeyValue("taskId", id.value())
          .addKeyValue("queue", queue)
          .addKeyValue("attempt", 0)
          .addKeyValue("status", status.wire())
          .log("task {} created in queue {}: {}", id, queue, status.wire());
    }
  }

  private record Started(
      TaskId id,
      String queue,
      int attempt,
      String callbackUrl,
      String leaseOwner,
      Map<String, String> context)
      implements Line {
    /**
     * Where the attempt goes: the target's host, or the worker that leased it; worked out here, off
     * the engine's threads.
     */
    String target() {
      if (callbackUrl == null) return "worker " + WorkerLeases.workerOf(leaseOwner);
      try {
        URI url = URI.create(callbackUrl);
        return url.getPort() < 0 ? url.getHost() : url.getHost() + ":" + url.getPort();
      } catch (IllegalArgumentException e) {
        return callbackUrl;
      }
    }

    @Override
    public void writeTo(Logger log) {
      writeTo(log, target());
    }

    void writeTo(Logger log, String target) {
      log.atInfo()
          .addKeyValue("taskId", id.value())
          .addKeyValue("queue", queue)
          .addKeyValue("attempt", attempt)
          .addKeyValue("status", TaskStatus.RUNNING.wire())
          .addKeyValue("target", target)
          .log(
              "task {} attempt {} in queue {}: running, {}",
              id,
              attempt,
              queue,
              target.startsWith("worker ") ? "leased by " + target : "calling " + target);
    }
  }

  /**
   * The end of an attempt: its outcome with the status code or error, then what happens next, so a
   * line says why (no "succeeded -> succeeded"). A task that ends failed is a warning.
   */
  private record Finished(
      Attempt attempt,
      String queue,
      TaskStatus status,
      Instant nextAttemptAt,
      Map<String, String> context)
      implements Line {
    @Override
    public void writeTo(Logger log) {
      writeTo(log, null);
    }

    void writeTo(Logger log, String target) {
      LoggingEventBuilder line = status == TaskStatus.FAILED ? log.atWarn() : log.atInfo();
      line =
          line.addKeyValue("taskId", attempt.taskId().value())
              .addKeyValue("queue", queue)
              .addKeyValue("attempt", attempt.number())
              .addKeyValue("outcome", attempt.outcome().wire())
              .addKeyValue("status", status.wire());
      if (attempt.statusCode() != null) line = line.addKeyValue("statusCode", attempt.statusCode());
      if (attempt.error() != null) line = line.addKeyValue("error", attempt.error());
      if (nextAttemptAt != null) line = line.addKeyValue("nextAttemptAt", nextAttemptAt.toString());
      if (target != null) line = line.addKeyValue("target", target);
      line.log(
          "task {} attempt {} in queue {}{}: {}{}",
          attempt.taskId(),
          attempt.number(),
          queue,
          target == null ? "" : " (" + target + ")",
          outcome(),
          next());
    }

    private String outcome() {
      String outcome = attempt.outcome().wire();
      if (attempt.error() != null) return outcome + " (" + attempt.error() + ")";
      return attempt.statusCode() == null
          ? outcome
          : outcome + " (HTTP " + attempt.statusCode() + ")";
    }

    private String next() {
      return switch (status) {
        case SUCCEEDED -> "";
        case RETRYING -> ", retrying at " + nextAttemptAt;
        case FAILED -> ", task failed";
        case CANCELLED -> attempt.outcome() == AttemptOutcome.CANCELLED ? "" : ", task cancelled";
        default -> ", task " + status.wire();
      };
    }
  }

  private record Changed(
      TaskId id,
      String queue,
      int attempt,
      String how,
      TaskStatus status,
      Map<String, String> context)
      implements Line {
    @Override
    public void writeTo(Logger log) {
      log.atInfo()
          .addKeyValue("taskId", id.value())
          .addKeyValue("queue", queue)
          .addKeyValue("attempt", attempt)
          .addKeyValue("status", status.wire())
          .log("task {} in queue {} {}", id, queue, how);
    }
  }
}
