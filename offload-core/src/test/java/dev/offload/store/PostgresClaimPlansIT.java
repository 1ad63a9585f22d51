package dev.offload.store;

import static dev.offload.task.TestTasks.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.offload.queue.QueueSettings;
import dev.offload.task.PullClaim;
import dev.offload.task.Task;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The claims read indexes, never the whole backlog, even on a table the planner knows nothing
 * about: 200,000 tasks are bulk-loaded with autovacuum off and no ANALYZE, then the claims'
 * statements are explained with the values a claim binds (claims plan per execution).
 */
@ExtendWith(TestDatabase.OnPostgres.class)
class PostgresClaimPlansIT {
  private static final int BACKLOG = 200_000;
  private static final int CLAIM = 256;

  private TestDatabase database;
  private String url;
  private JdbcStore store;

  @BeforeEach
  void open(TestDatabase database) throws SQLException {
    this.database = database;
    store = database.open();
    url = database.url();
    execute("ALTER TABLE tasks SET (autovacuum_enabled = false)");
  }

  @AfterEach
  void close() throws Exception {
    try (TestDatabase opened = database) {
      if (store != null) store.close();
    }
  }

  @Test
  void push_claims_of_a_large_backlog_read_the_queue_index_in_claim_order() throws SQLException {
    load("bulk", true, BACKLOG, "queued", T0.toEpochMilli());
    load("bulk", false, 1_000, "queued", T0.toEpochMilli());

    assertThat(plan(QueueClaims.readyQueuesSql(ClaimSql.PUSH, store.dialect())))
        .contains("tasks_queued_push")
        .doesNotContain("Seq Scan on tasks");
    assertReadsIndexInOrder(
        plan(QueueClaims.unlimitedSelect(ClaimSql.PUSH, store.dialect()), "bulk", "bulk", CLAIM),
        "tasks_queued_push");
    assertThat(store.pushClaims().claimDue("node-a", T0, CLAIM, Duration.ofMinutes(1)))
        .hasSize(CLAIM);
  }

  @Test
  void pull_leases_of_a_large_backlog_read_the_queue_index_in_claim_order() throws SQLException {
    load("bulk", false, BACKLOG, "queued", T0.toEpochMilli());

    assertThat(plan(QueueClaims.readyQueuesSql(ClaimSql.PULL, store.dialect())))
        .contains("tasks_queued_pull")
        .doesNotContain("Seq Scan on tasks");
    assertReadsIndexInOrder(
        plan(QueueClaims.unlimitedSelect(ClaimSql.PULL, store.dialect()), "bulk", "bulk", CLAIM),
        "tasks_queued_pull");
    assertThat(
            store
                .pullLeases()
                .leasePullTasks(
                    new PullClaim(
                        "w/", List.of("bulk"), List.of(), T0, CLAIM, Duration.ofMinutes(1))))
        .hasSize(CLAIM);
  }

  @Test
  void a_paused_backlog_is_not_scanned_by_the_claims_of_a_small_other_queue() throws SQLException {
    store.queues().put("held", new QueueSettings(null, null, null, true), T0);
    load("held", true, BACKLOG, "queued", T0.minusSeconds(3600).toEpochMilli());
    load("small", true, 100, "queued", T0.toEpochMilli());

    assertReadsIndexInOrder(
        plan(QueueClaims.unlimitedSelect(ClaimSql.PUSH, store.dialect()), "small", "small", CLAIM),
        "tasks_queued_push");
    assertReadsIndexInOrder(
        plan(FlowControl.candidatesSql(ClaimSql.PUSH, store.dialect()), "held", 2 * CLAIM + 50),
        "tasks_queued_push");
    List<Task> claimed = store.pushClaims().claimDue("node-a", T0, CLAIM, Duration.ofMinutes(1));
    assertThat(claimed).hasSize(100).allSatisfy(t -> assertThat(t.queue()).isEqualTo("small"));
    assertThat(store.pushClaims().nextDueAt(T0)).as("the paused backlog wakes nobody").isEmpty();
  }

  @Test
  void promotion_and_the_wake_up_time_read_the_index_of_waiting_tasks() throws SQLException {
    load("later", true, BACKLOG, "scheduled", T0.plusSeconds(60).toEpochMilli());

    assertThat(
            plan(DuePromotion.promoteSql(store.dialect()), T0.toEpochMilli(), DuePromotion.BATCH))
        .contains("tasks_waiting")
        .doesNotContain("Seq Scan on tasks");
    assertThat(plainPlan(DuePromotion.nextAtSql(store.dialect())))
        .contains("tasks_waiting")
        .doesNotContain("Sort");
    assertThat(store.pushClaims().nextDueAt(T0)).contains(T0.plusSeconds(60).plusMillis(1));
    assertThat(
            store.pushClaims().claimDue("node-a", T0.plusSeconds(61), CLAIM, Duration.ofMinutes(1)))
        .hasSize(CLAIM);
  }

  @Test
  void the_oldest_ready_task_of_a_large_backlog_is_one_step_down_its_queue_index()
      throws SQLException {
    load("bulk", true, BACKLOG, "queued", T0.minusSeconds(3600).toEpochMilli());

    assertReadsIndexInOrder(
        plan(TaskCounts.OLDEST_READY, "bulk", T0.toEpochMilli()), "tasks_ready_by_queue");
    assertThat(store.queues().find("bulk", T0).orElseThrow().oldestReadyAgeMs())
        .isEqualTo(3_600_000L - 1);
  }

  /**
   * Also: an update of every row that changes no status takes one pass, not one per pair of rows
   * (hours).
   */
  @Test
  @Timeout(120)
  void purge_batches_of_millions_of_finished_tasks_read_the_purge_index_in_purge_order()
      throws SQLException {
    load("done", true, BACKLOG, "succeeded", T0.minusSeconds(86_400).toEpochMilli());
    execute("UPDATE tasks SET purge_at = due_at, due_at = NULL, finished_at = due_at");

    assertReadsIndexInOrder(
        plan(Purges.purgeSql(store.dialect()), 0L, T0.toEpochMilli(), 500), "tasks_purge");
    assertThat(store.purges().purgeFinished(0, T0, 500).tasks()).isEqualTo(500);
  }

  private static void assertReadsIndexInOrder(String plan, String index) {
    assertThat(plan)
        .contains("Index Scan using " + index)
        .doesNotContain("Sort")
        .doesNotContain("Seq Scan on tasks");
  }

  @Test
  void finished_attempts_look_up_each_task_by_its_id() throws SQLException {
    load("bulk", true, BACKLOG, "running", T0.toEpochMilli());
    Object[] row = {
      "tsk_1", 1, "node-a", 5L, "succeeded", 5L, 5L, 200, "text/plain", "ok", 0, 0, "-"
    };
    Object[] rows = new Object[row.length * 2];
    System.arraycopy(row, 0, rows, 0, row.length);
    System.arraycopy(row, 0, rows, row.length, row.length);

    assertThat(
            explain(
                false,
                FinishedAttempts.endSql(
                    store.dialect(), new PurgeTimes(RetentionDefaults.DEFAULT), 2),
                rows))
        .containsSubsequence(
            "Nested Loop", "Values Scan", "Index Scan", "(id = (\"*VALUES*\".column1)")
        .doesNotContain("Seq Scan on tasks");
  }

  /**
   * Inserts {@code count} tasks in one statement, due one millisecond apart from {@code dueAt + 1}.
   */
  private void load(String queue, boolean push, int count, String status, long dueAt)
      throws SQLException {
    try (Connection c = DriverManager.getConnection(url);
        PreparedStatement s =
            c.prepareStatement(
                """
        INSERT INTO tasks (id, queue, name, callback_url, method, status, created_at, run_at, due_at, max_attempts,
          retries, backoff_type, backoff_initial_ms, backoff_max_ms, backoff_factor, backoff_jitter)
        SELECT ? || lpad(g::text, 20, '0'), ?, ?, ?, 'POST', ?, ?, ? + g, ? + g, 4, 3, 'exponential', 1000, 60000, 2, 1
        FROM generate_series(1, ?) g""")) {
      s.setString(1, "tsk_%06d".formatted(Math.floorMod((queue + push).hashCode(), 1_000_000)));
      s.setString(2, queue);
      s.setString(3, push ? null : "work");
      s.setString(4, push ? "https://target.example/work" : null);
      s.setString(5, status);
      s.setLong(6, dueAt);
      s.setLong(7, dueAt);
      s.setLong(8, dueAt);
      s.setInt(9, count);
      s.executeUpdate();
    }
  }

  /** The plan of a statement run in a claim transaction. */
  private String plan(String sql, Object... args) throws SQLException {
    return explain(true, sql, args);
  }

  /** The plan of a statement run outside a claim. */
  private String plainPlan(String sql) throws SQLException {
    return explain(false, sql);
  }

  private String explain(boolean inClaim, String sql, Object... args) throws SQLException {
    try (Connection c = DriverManager.getConnection(url)) {
      c.setAutoCommit(false);
      if (inClaim) {
        try (Statement preamble = c.createStatement()) {
          preamble.execute(store.dialect().claimPreamble());
        }
      }
      try (PreparedStatement s = c.prepareStatement("EXPLAIN " + sql)) {
        for (int i = 0; i < args.length; i++) s.setObject(i + 1, args[i]);
        try (ResultSet rows = s.executeQuery()) {
          StringBuilder plan = new StringBuilder();
          while (rows.next()) plan.append(rows.getString(1)).append('\n');
          return plan.toString();
        }
      } finally {
        c.rollback();
      }
    }
  }

  private void execute(String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection(url);
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }
}
