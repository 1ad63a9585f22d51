package dev.offload.engine;

import static dev.offload.task.TestTasks.T0;
import static dev.offload.task.TestTasks.aRunningTask;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.offload.task.Attempt;
import dev.offload.task.AttemptOutcome;
import dev.offload.task.FinishedAttempt;
import dev.offload.task.NewTask;
import dev.offload.task.Task;
import dev.offload.task.TaskStatus;
import dev.offload.task.Transition;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/** The lines as logback receives them: text, key-value fields and log context of each. */
class StateLogTest {
  private final Logger logger = (Logger) LoggerFactory.getLogger("dev.offload.state");

  /**
   * Keeps each event as an asynchronous appender would: its log context fixed when it is appended.
   */
  private final ListAppender<ILoggingEvent> appender =
      new ListAppender<>() {
        @Override
        protected void append(ILoggingEvent event) {
          event.prepareForDeferredProcessing();
          super.append(event);
        }
      };

  @BeforeEach
  void capture() {
    appender.start();
    logger.addAppender(appender);
    logger.setLevel(Level.INFO);
    logger.setAdditive(false);
  }

  @AfterEach
  void release() {
    logger.detachAppender(appender);
    logger.setLevel(null);
    logger.setAdditive(true);
    MDC.clear();
  }

  private static StateLog startedLog() {
    StateLog log = new StateLog();
    log.start();
    return log;
  }

  private static String line(ILoggingEvent event) {
    return event.getFormattedMessage()
        + " "
        + event.getKeyValuePairs().stream().map(kv -> kv.key + "=" + kv.value).toList()
        + " "
        + event.getMDCPropertyMap();
  }

  @Test
  void every_change_is_one_line_with_its_fields_in_the_context_of_the_request_that_caused_it() {
    NewTask created =
        NewTask.builder().callbackUrl("https://target.example/work").queue("emails").build();
    Task running =
        aRunningTask()
            .withQueue("emails")
            .withCallbackUrl("https://target.example:8443/work")
            .atAttempt(1, 3)
            .build();
    FinishedAttempt failed =
        new FinishedAttempt(
            new Attempt(
                running.id(),
                1,
                T0,
                T0,
                AttemptOutcome.HTTP_ERROR,
                503,
                "HTTP 503",
                null,
                "node-a"),
            "node-a",
            new Transition(TaskStatus.RETRYING, T0, null, "HTTP 503"),
            null,
            "emails");
    Task cancelled =
        aRunningTask()
            .withId(running.id())
            .withQueue("emails")
            .withStatus(TaskStatus.CANCELLED)
            .atAttempt(2, 3)
            .build();

    try (StateLog log = startedLog()) {
      log.created(
          List.of(
              new TaskIntake.Accepted(
                  created, TaskStatus.QUEUED, Map.of("requestId", "req_create"))));
      log.started(running);
      log.finished(List.of(failed));
      MDC.put("requestId", "req_cancel");
      log.changed(cancelled, "cancelled");
    }

    String id = running.id().value();
    assertThat(appender.list)
        .extracting(StateLogTest::line)
        .containsExactly(
            "task "
                + created.id()
                + " created in queue emails: queued [taskId="
                + created.id()
                + ", queue=emails, attempt=0, status=queued] {requestId=req_create}",
            "task "
                + id
                + " attempt 1 in queue emails: running, calling target.example:8443 [taskId="
                + id
                + ", queue=emails, attempt=1, status=running, target=target.example:8443] {}",
            "task "
                + id
                + " attempt 1 in queue emails (target.example:8443): http_error (HTTP 503), retrying at "
                + T0
                + " [taskId="
                + id
                + ", queue=emails, attempt=1, outcome=http_error, status=retrying, statusCode=503, error=HTTP 503, nextAttemptAt="
                + T0
                + ", target=target.example:8443] {}",
            "task "
                + id
                + " in queue emails cancelled [taskId="
                + id
                + ", queue=emails, attempt=2, status=cancelled] {requestId=req_cancel}");
    assertThat(appender.list).extracting(ILoggingEvent::getLevel).containsOnly(Level.INFO);
    assertThat(appender.list)
        .extracting(ILoggingEvent::getThreadName)
        .containsOnly("offload-state-log");
    assertThat(MDC.get("requestId")).isEqualTo("req_cancel");
  }

  @Test
  void a_task_that_finally_failed_is_a_warning_and_a_success_says_its_status_code_once() {
    Task failing = aRunningTask().withQueue("emails").atAttempt(3, 3).build();
    Task succeeding = aRunningTask().withQueue("emails").build();
    FinishedAttempt failed =
        new FinishedAttempt(
            new Attempt(
                failing.id(),
                3,
                T0,
                T0,
                AttemptOutcome.CONNECTION_ERROR,
                null,
                "connection error: Connection refused",
                null,
                "node-a"),
            "node-a",
            new Transition(TaskStatus.FAILED, null, null, "connection error: Connection refused"),
            null,
            "emails");
    FinishedAttempt succeeded =
        new FinishedAttempt(
            new Attempt(
                succeeding.id(), 1, T0, T0, AttemptOutcome.SUCCEEDED, 200, null, null, "node-a"),
            "node-a",
            new Transition(TaskStatus.SUCCEEDED, null, null, null),
            null,
            "emails");

    try (StateLog log = startedLog()) {
      log.finished(List.of(failed, succeeded));
    }

    assertThat(appender.list)
        .extracting(ILoggingEvent::getLevel)
        .containsExactly(Level.WARN, Level.INFO);
    assertThat(appender.list.get(0).getFormattedMessage())
        .isEqualTo(
            "task "
                + failing.id()
                + " attempt 3 in queue emails: connection_error (connection error: Connection refused), task failed");
    assertThat(appender.list.get(1).getFormattedMessage())
        .isEqualTo("task " + succeeding.id() + " attempt 1 in queue emails: succeeded (HTTP 200)");
    assertThat(appender.list)
        .extracting(ILoggingEvent::getFormattedMessage)
        .noneMatch(
            message -> message.matches(".*: (\\w+) -> \\1$") || message.matches(".*(\\w+): \\1$"));
  }

  @Test
  void lines_come_out_in_the_order_the_changes_were_reported() {
    List<Task> tasks = IntStream.range(0, 10_000).mapToObj(i -> aRunningTask().build()).toList();
    try (StateLog log = startedLog()) {
      tasks.forEach(log::started);
    }
    assertThat(appender.list)
        .extracting(e -> e.getKeyValuePairs().getFirst().value)
        .containsExactlyElementsOf(tasks.stream().map(t -> t.id().value()).toList());
  }
}
