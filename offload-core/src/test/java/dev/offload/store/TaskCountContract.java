package dev.offload.store;

import static dev.offload.store.StoreContract.KEY_TTL;
import static dev.offload.store.StoreContract.LEASE;
import static dev.offload.store.StoreContract.aPushTask;
import static dev.offload.store.StoreContract.failed;
import static dev.offload.store.StoreContract.finished;
import static dev.offload.store.StoreContract.retrying;
import static dev.offload.store.StoreContract.succeeded;
import static dev.offload.task.TestTasks.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.offload.queue.QueueDepth;
import dev.offload.queue.QueueInfo;
import dev.offload.queue.QueueTimeline;
import dev.offload.task.ActionResult;
import dev.offload.task.AttemptOutcome;
import dev.offload.task.CreateResult;
import dev.offload.task.CreateResult.CreatedTask;
import dev.offload.task.FinishedAttempt;
import dev.offload.task.NewTask;
import dev.offload.task.Task;
import dev.offload.task.TaskBatch;
import dev.offload.task.TaskId;
import dev.offload.task.TaskStatus;
import dev.offload.task.Transition;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The counters the V007 triggers keep (tasks by queue and status, the per-minute rollup) stay equal
 * to a recount of the tasks across every kind of write, on each dialect.
 */
abstract class TaskCountContract {
  static final String NODE = "node-a";
  TestDatabase database;
  JdbcStore store;

  /** Keeps the database; each test opens the store itself, some after writing an older schema. */
  @BeforeEach
  void database(TestDatabase database) {
    this.database = database;
  }

  JdbcStore open() {
    store = database.open();
    return store;
  }

  @AfterEach
  void close() throws Exception {
    try (TestDatabase opened = database) {
      if (store != null) store.close();
    }
  }

  @Test
  void counts_match_a_recount_after_create_claim_finish_cancel_retry_lease_expiry_and_delete()
      throws SQLException {
    open();
    List<TaskId> a =
        create(
            T0,
            aPushTask().queue("a").build(),
            aPushTask().queue("a").build(),
            aPushTask().queue("a").build(),
            aPushTask().queue("a").runAt(T0.plusSeconds(600)).build());
    create(T0, aPushTask().queue("b").build(), aPushTask().queue("b").build());
    assertCountsMatchRecount(T0);

    List<Task> claimed = store.pushClaims().claimDue(NODE, T0, 3, LEASE);
    assertThat(claimed).hasSize(3);
    assertCountsMatchRecount(T0);

    Instant later = T0.plusSeconds(5);
    store
        .completion()
        .finish(
            List.of(
                succeeded(claimed.get(0), later),
                retrying(claimed.get(1), later, later.plusSeconds(30))));
    assertCountsMatchRecount(later);

    assertThat(store.actions().cancel(a.get(3), later)).isInstanceOf(ActionResult.Done.class);
    assertThat(store.actions().retry(a.get(3), later)).isInstanceOf(ActionResult.Done.class);
    assertThat(store.actions().cancel(a.get(3), later)).isInstanceOf(ActionResult.Done.class);
    assertCountsMatchRecount(later);

    Instant expired = T0.plus(LEASE).plusSeconds(1);
    Task stale = claimed.get(2);
    Transition gone = new Transition(TaskStatus.FAILED, null, null, "lease expired");
    FinishedAttempt reaped =
        finished(stale, expired, AttemptOutcome.LEASE_EXPIRED, null, "lease expired", gone);
    store
        .completion()
        .finish(
            List.of(
                new FinishedAttempt(
                    reaped.attempt(), reaped.leaseOwner(), gone, expired, stale.queue())));
    assertThat(store.tasks().find(stale.id()).orElseThrow().status()).isEqualTo(TaskStatus.FAILED);
    assertCountsMatchRecount(expired);

    assertThat(store.actions().retry(stale.id(), expired)).isInstanceOf(ActionResult.Done.class);
    Task again =
        store.pushClaims().claimDue(NODE, expired, 10, LEASE).stream()
            .filter(t -> t.id().equals(stale.id()))
            .findFirst()
            .orElseThrow();
    store.completion().finish(List.of(failed(again, expired.plusSeconds(1))));
    assertCountsMatchRecount(expired.plusSeconds(1));

    database.execute("DELETE FROM tasks WHERE status IN ('succeeded', 'failed', 'cancelled')");
    assertCountsMatchRecount(expired.plusSeconds(1));
    database.execute("DELETE FROM tasks WHERE queue = 'b'");
    assertCountsMatchRecount(expired.plusSeconds(1));
    assertThat(store.queues().list(expired).stream().map(QueueInfo::name))
        .as("a queue with no tasks left is gone")
        .containsExactly("a");
  }

  @Test
  void concurrent_writers_on_many_connections_add_up() throws Exception {
    open();
    List<Callable<Integer>> writers = new ArrayList<>();
    for (int w = 0; w < 4; w++) {
      writers.add(
          () -> {
            for (int i = 0; i < 10; i++)
              create(T0, aPushTask().queue("busy").build(), aPushTask().queue("busy").build());
            int done = 0;
            for (List<Task> claimed = store.pushClaims().claimDue(NODE, T0, 3, LEASE);
                !claimed.isEmpty();
                claimed = store.pushClaims().claimDue(NODE, T0, 3, LEASE)) {
              store
                  .completion()
                  .finish(claimed.stream().map(t -> succeeded(t, T0.plusSeconds(1))).toList());
              done += claimed.size();
            }
            return done;
          });
    }
    int finished = 0;
    try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
      for (Future<Integer> writer : pool.invokeAll(writers)) finished += writer.get();
    }

    assertThat(finished).isEqualTo(80);
    assertCountsMatchRecount(T0.plusSeconds(1));
    QueueTimeline history = store.queues().history("busy", T0.plusSeconds(1)).orElseThrow();
    assertThat(history.buckets().getLast().created()).isEqualTo(80);
    assertThat(history.buckets().getLast().succeeded()).isEqualTo(80);
  }

  @Test
  void history_and_throughput_keep_what_happened_when_finished_tasks_are_deleted()
      throws SQLException {
    open();
    Instant created = T0.plusSeconds(5);
    create(
        created,
        aPushTask().queue("h").build(),
        aPushTask().queue("h").build(),
        aPushTask().queue("h").build());
    Instant done = T0.plusSeconds(65);
    List<Task> claimed = store.pushClaims().claimDue(NODE, done, 3, LEASE);
    store
        .completion()
        .finish(List.of(succeeded(claimed.get(0), done), failed(claimed.get(1), done)));
    Instant now = T0.plusSeconds(90);

    database.execute("DELETE FROM tasks WHERE status IN ('succeeded', 'failed')");

    List<QueueTimeline.Bucket> buckets = store.queues().history("h", now).orElseThrow().buckets();
    QueueTimeline.Bucket first = buckets.get(58);
    QueueTimeline.Bucket second = buckets.get(59);
    assertThat(first.at()).isEqualTo(T0);
    assertThat(first.created()).isEqualTo(3);
    assertThat(first.depth()).isEqualTo(3);
    assertThat(second.succeeded()).isEqualTo(1);
    assertThat(second.failed()).isEqualTo(1);
    assertThat(second.depth()).as("the one still running").isEqualTo(1);
    QueueInfo queue = store.queues().find("h", now).orElseThrow();
    assertThat(queue.throughput().lastMinute()).isEqualTo(2);
    assertThat(queue.throughput().lastHour()).isEqualTo(2);
    assertThat(queue.attemptDurationMs().p50())
        .as("attempts stay when their tasks are deleted")
        .isNotNull();
  }

  @Test
  void a_retried_task_counts_as_reopened_so_depth_stays_right() {
    open();
    TaskId id = create(T0, aPushTask().queue("r").build()).getFirst();
    store
        .completion()
        .finish(
            List.of(
                failed(
                    store.pushClaims().claimDue(NODE, T0, 1, LEASE).getFirst(),
                    T0.plusSeconds(60))));
    assertThat(store.actions().retry(id, T0.plusSeconds(120)))
        .isInstanceOf(ActionResult.Done.class);

    List<QueueTimeline.Bucket> buckets =
        store.queues().history("r", T0.plusSeconds(150)).orElseThrow().buckets();

    assertThat(buckets.subList(57, 60))
        .extracting(QueueTimeline.Bucket::depth)
        .containsExactly(1L, 0L, 1L);
  }

  @Test
  void pruning_forgets_minutes_older_than_two_hours() {
    open();
    create(T0, aPushTask().queue("p").build());
    create(T0.plus(Duration.ofHours(2)), aPushTask().queue("p").build());

    assertThat(store.queues().pruneQueueMinutes(T0.plus(Duration.ofHours(2)))).isZero();
    assertThat(store.queues().pruneQueueMinutes(T0.plus(Duration.ofHours(2)).plusSeconds(60)))
        .isEqualTo(1);
    assertThat(
            store
                .queues()
                .history("p", T0.plus(Duration.ofHours(2)))
                .orElseThrow()
                .buckets()
                .getLast()
                .created())
        .isEqualTo(1);
  }

  @Test
  void the_migration_starts_the_counters_from_the_tasks_already_stored() throws Exception {
    String dialect = database.dialect().name();
    Instant now = Instant.now();
    try (Connection c = DriverManager.getConnection(database.url());
        Statement s = c.createStatement()) {
      migrateUpTo(s, dialect, "V007__counts.sql");
      insertTask(s, "m", "queued", now.minusSeconds(600), null);
      insertTask(s, "m", "queued", now.minusSeconds(300), null);
      insertTask(s, "m", "running", now.minusSeconds(300), null);
      TaskId done = insertTask(s, "m", "succeeded", now.minusSeconds(300), now.minusSeconds(240));
      insertTask(s, "m", "failed", now.minusSeconds(300), now.minusSeconds(240));
      insertTask(s, "n", "cancelled", now.minusSeconds(300), now.minusSeconds(120));
      s.execute(
          "INSERT INTO attempts (task_id, number, started_at, finished_at, outcome) VALUES ('"
              + done.value()
              + "', 1, "
              + now.minusSeconds(250).toEpochMilli()
              + ", "
              + now.minusSeconds(240).toEpochMilli()
              + ", 'succeeded')");
    }

    open();

    assertCountsMatchRecount(now);
    QueueInfo m = store.queues().find("m", now).orElseThrow();
    assertThat(m.throughput().lastHour()).isEqualTo(2);
    assertThat(m.attemptDurationMs().p50())
        .as("the attempt of the last hour is found by queue")
        .isEqualTo(10_000L);
    assertThat(m.oldestReadyAgeMs()).isBetween(600_000L, 660_000L);
    List<QueueTimeline.Bucket> history = store.queues().history("m", now).orElseThrow().buckets();
    assertThat(history.stream().mapToLong(QueueTimeline.Bucket::created).sum()).isEqualTo(5);
    assertThat(history.stream().mapToLong(QueueTimeline.Bucket::finished).sum()).isEqualTo(2);
    assertThat(history.getLast().depth()).isEqualTo(3);
  }

  /**
   * Applies the scripts before {@code first} as the migrator records them, as a store of that
   * version would be.
   */
  private static void migrateUpTo(Statement s, String dialect, String first) throws Exception {
    s.execute("CREATE TABLE schema_version (version INTEGER PRIMARY KEY, script TEXT NOT NULL)");
    int version = 0;
    for (String script : Migrator.scripts(Migrator.MIGRATIONS, dialect)) {
      if (script.equals(first)) break;
      for (String part : Migrator.parts(Migrator.MIGRATIONS, dialect, script))
        s.executeUpdate(part);
      s.execute(
          "INSERT INTO schema_version (version, script) VALUES ("
              + ++version
              + ", '"
              + script
              + "')");
    }
  }

  private static TaskId insertTask(
      Statement s, String queue, String status, Instant created, Instant finished)
      throws SQLException {
    TaskId id = TaskId.generate();
    String dueAt = status.equals("queued") ? String.valueOf(created.toEpochMilli()) : "NULL";
    s.execute(
        """
        INSERT INTO tasks (id, queue, method, status, created_at, run_at, due_at, finished_at, max_attempts, retries,
          backoff_type, backoff_initial_ms, backoff_max_ms, backoff_factor, backoff_jitter, timeout_ms)
        VALUES ('%s', '%s', 'POST', '%s', %d, %d, %s, %s, 4, 3, 'exponential', 1000, 3600000, 2.0, 1, 30000)"""
            .formatted(
                id.value(),
                queue,
                status,
                created.toEpochMilli(),
                created.toEpochMilli(),
                dueAt,
                finished == null ? "NULL" : String.valueOf(finished.toEpochMilli())));
    return id;
  }

  List<TaskId> create(Instant now, NewTask... tasks) {
    CreateResult result =
        store.inserts().create(List.of(new TaskBatch(List.of(tasks))), now, KEY_TTL).getFirst();
    return ((CreateResult.Created) result).tasks().stream().map(CreatedTask::id).toList();
  }

  /** The counts of the queue list and the queue gauges equal a recount of the tasks table. */
  void assertCountsMatchRecount(Instant now) throws SQLException {
    Map<String, Map<TaskStatus, Long>> recount = new TreeMap<>();
    try (Connection c = DriverManager.getConnection(database.url());
        Statement s = c.createStatement();
        ResultSet row =
            s.executeQuery("SELECT queue, status, COUNT(*) FROM tasks GROUP BY queue, status")) {
      while (row.next()) {
        recount
            .computeIfAbsent(row.getString(1), q -> zeros())
            .put(TaskStatus.fromWire(row.getString(2)).orElseThrow(), row.getLong(3));
      }
    }
    Map<String, Map<TaskStatus, Long>> listed = new TreeMap<>();
    for (QueueInfo queue : store.queues().list(now)) listed.put(queue.name(), queue.counts());
    assertThat(listed).isEqualTo(recount);
    Map<String, Map<TaskStatus, Long>> gauged = new TreeMap<>();
    for (QueueDepth depth : store.queues().queueDepths(now))
      gauged.computeIfAbsent(depth.queue(), q -> zeros()).put(depth.status(), depth.count());
    recount.values().forEach(counts -> counts.keySet().removeIf(TaskStatus::isTerminal));
    gauged.values().forEach(counts -> counts.keySet().removeIf(TaskStatus::isTerminal));
    recount.values().removeIf(counts -> counts.values().stream().allMatch(n -> n == 0));
    assertThat(gauged).isEqualTo(recount);
  }

  private static Map<TaskStatus, Long> zeros() {
    Map<TaskStatus, Long> counts = new EnumMap<>(TaskStatus.class);
    for (TaskStatus status : TaskStatus.values()) counts.put(status, 0L);
    return counts;
  }
}
