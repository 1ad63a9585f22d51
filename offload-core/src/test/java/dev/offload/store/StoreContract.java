package dev.offload.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.offload.task.Attempt;
import dev.offload.task.AttemptOutcome;
import dev.offload.task.CreateResult;
import dev.offload.task.CreateResult.Created;
import dev.offload.task.CreateResult.CreatedTask;
import dev.offload.task.FinishedAttempt;
import dev.offload.task.NewTask;
import dev.offload.task.Task;
import dev.offload.task.TaskBatch;
import dev.offload.task.TaskId;
import dev.offload.task.TaskResult;
import dev.offload.task.TaskStatus;
import dev.offload.task.Transition;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * What every area of the store contract shares: a store on a fresh database of the suite's dialect
 * ({@link TestDatabase}), opened before each test and closed after it, and the helpers that make
 * and move tasks. Time is passed in as fixed instants; nothing sleeps. The areas (one subclass
 * each, as River's driver test suite is split) run on SQLite in {@link SqliteStoreTest} and on
 * PostgreSQL in {@link PostgresStoreIT}.
 */
abstract class StoreContract {
  static final Duration KEY_TTL = Duration.ofHours(24);
  static final Duration LEASE = Duration.ofSeconds(60);
  static final String NODE_A = "node-a";
  static final String NODE_B = "node-b";
  static final TaskResult OK =
      new TaskResult(200, "application/json", "{\"done\":true}", true, false);
  static final TaskResult UNAVAILABLE =
      new TaskResult(503, "text/plain", "try later", false, false);

  TestDatabase database;
  JdbcStore store;

  /** The server's retention defaults this area's store runs with. */
  RetentionDefaults retention() {
    return RetentionDefaults.DEFAULT;
  }

  @BeforeEach
  void open(TestDatabase database) {
    this.database = database;
    store = database.open(retention());
  }

  @AfterEach
  void close() throws Exception {
    try (TestDatabase opened = database) {
      if (store != null) store.close();
    }
  }

  static NewTask.Builder aPushTask() {
    return NewTask.builder().callbackUrl("https://target.example/work").body("{\"n\":1}");
  }

  static NewTask.Builder aKeyedTask(String key, String hash) {
    return aPushTask().idempotencyKey(key).requestHash(hash);
  }

  CreateResult createBatch(Instant now, NewTask... tasks) {
    return store.inserts().create(List.of(new TaskBatch(List.of(tasks))), now, KEY_TTL).getFirst();
  }

  CreatedTask createOne(Instant now, NewTask task) {
    CreateResult result = createBatch(now, task);
    assertThat(result).isInstanceOf(Created.class);
    return ((Created) result).tasks().getFirst();
  }

  TaskId create(Instant now, NewTask task) {
    return createOne(now, task).id();
  }

  Task find(TaskId id) {
    return store.tasks().find(id).orElseThrow(() -> new AssertionError("no task " + id));
  }

  Task claimOne(String node, Instant now) {
    List<Task> claimed = store.pushClaims().claimDue(node, now, 10, LEASE);
    assertThat(claimed).hasSize(1);
    return claimed.getFirst();
  }

  static FinishedAttempt finished(
      Task claimed,
      Instant at,
      AttemptOutcome outcome,
      TaskResult response,
      String error,
      Transition transition) {
    Attempt attempt =
        new Attempt(
            claimed.id(),
            claimed.attempts(),
            claimed.attemptStartedAt(),
            at,
            outcome,
            response == null ? null : response.statusCode(),
            error,
            response == null ? null : response.body(),
            claimed.leaseOwner());
    return new FinishedAttempt(attempt, claimed.leaseOwner(), transition);
  }

  static FinishedAttempt succeeded(Task claimed, Instant at) {
    return finished(
        claimed,
        at,
        AttemptOutcome.SUCCEEDED,
        OK,
        null,
        new Transition(TaskStatus.SUCCEEDED, null, OK, null));
  }

  static FinishedAttempt failed(Task claimed, Instant at) {
    return finished(
        claimed,
        at,
        AttemptOutcome.HTTP_ERROR,
        UNAVAILABLE,
        "HTTP 503",
        new Transition(TaskStatus.FAILED, null, UNAVAILABLE, "HTTP 503"));
  }

  static FinishedAttempt retrying(Task claimed, Instant at, Instant dueAt) {
    return finished(
        claimed,
        at,
        AttemptOutcome.HTTP_ERROR,
        UNAVAILABLE,
        "HTTP 503",
        new Transition(TaskStatus.RETRYING, dueAt, UNAVAILABLE, "HTTP 503"));
  }

  static List<TaskId> ids(List<Task> tasks) {
    return tasks.stream().map(Task::id).toList();
  }
}
