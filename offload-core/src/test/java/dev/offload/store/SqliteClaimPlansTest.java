package dev.offload.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On SQLite, too, the claims and the purge read their partial indexes in order and never sort the
 * backlog.
 */
class SqliteClaimPlansTest {
  @TempDir Path dir;
  private JdbcStore store;
  private Connection connection;

  @BeforeEach
  void open() throws SQLException {
    Path file = dir.resolve("offload.db");
    store = JdbcStore.open(new SqliteDialect(file, false));
    connection = DriverManager.getConnection("jdbc:sqlite:" + file);
  }

  @AfterEach
  void close() throws Exception {
    connection.close();
    store.close();
  }

  @Test
  void a_queue_claim_reads_its_kind_index_in_claim_order() throws SQLException {
    assertThat(plan(QueueClaims.unlimitedSelect(ClaimSql.PUSH, store.dialect())))
        .contains("INDEX tasks_queued_push")
        .doesNotContain("TEMP B-TREE");
    assertThat(plan(QueueClaims.unlimitedSelect(ClaimSql.PULL, store.dialect())))
        .contains("INDEX tasks_queued_pull")
        .doesNotContain("TEMP B-TREE");
    assertThat(plan(FlowControl.candidatesSql(ClaimSql.PUSH, store.dialect())))
        .contains("INDEX tasks_queued_push")
        .doesNotContain("TEMP B-TREE");
  }

  @Test
  void ready_queues_promotion_and_the_wake_up_time_read_indexes() throws SQLException {
    assertThat(plan(QueueClaims.readyQueuesSql(ClaimSql.PUSH, store.dialect())))
        .contains("INDEX tasks_queued_push")
        .doesNotContain("TEMP B-TREE");
    assertThat(plan(DuePromotion.promoteSql(store.dialect())))
        .contains("INDEX tasks_waiting")
        .doesNotContain("TEMP B-TREE");
    assertThat(plan(DuePromotion.nextAtSql(store.dialect())))
        .contains("INDEX tasks_waiting")
        .doesNotContain("TEMP B-TREE");
  }

  @Test
  void the_oldest_ready_task_is_one_step_down_its_queue_index() throws SQLException {
    assertThat(plan(TaskCounts.OLDEST_READY))
        .contains("INDEX tasks_ready_by_queue")
        .doesNotContain("TEMP B-TREE");
  }

  @Test
  void a_purge_batch_reads_the_purge_index_in_purge_order() throws SQLException {
    assertThat(plan(Purges.purgeSql(store.dialect())))
        .contains("INDEX tasks_purge")
        .doesNotContain("TEMP B-TREE");
  }

  @Test
  void finished_attempts_find_their_tasks_by_primary_key() throws SQLException {
    assertThat(
            plan(
                FinishedAttempts.endSql(
                    store.dialect(), new PurgeTimes(RetentionDefaults.DEFAULT), 3)))
        .contains("USING INDEX sqlite_autoindex_tasks_1 (id=?)")
        .doesNotContain("tasks_by_status");
  }

  /** The query plan; parameters are bound to 1, which only planning sees. */
  private String plan(String sql) throws SQLException {
    try (PreparedStatement s = connection.prepareStatement("EXPLAIN QUERY PLAN " + sql)) {
      int parameters = s.getParameterMetaData().getParameterCount();
      for (int i = 1; i <= parameters; i++) s.setLong(i, 1);
      StringBuilder plan = new StringBuilder();
      try (ResultSet rows = s.executeQuery()) {
        while (rows.next()) plan.append(rows.getString("detail")).append('\n');
      }
      return plan.toString();
    }
  }
}
