package dev.offload.store;

import static dev.offload.task.TestTasks.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.offload.task.NewTask;
import dev.offload.task.TaskBatch;
import dev.offload.task.TaskId;
import dev.offload.task.TaskQuery;
import dev.offload.task.TaskStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every area of the store contract ({@link StoreSuite}) on a real SQLite file in WAL mode, and what
 * only SQLite does.
 */
@ExtendWith(TestDatabase.OnSqlite.class)
class SqliteStoreTest extends StoreSuite {
  @Nested
  class OnlySqlite extends StoreContract {
    @Test
    void tasks_and_settings_survive_reopening_the_file() throws Exception {
      TaskId id = create(T0, aPushTask().build());
      store.settings().read("task_token_key", "first");
      store.close();

      store = database.open();

      assertThat(find(id).status()).isEqualTo(TaskStatus.QUEUED);
      assertThat(store.settings().read("task_token_key", "second")).isEqualTo("first");
    }

    @Test
    void the_sqlite_dialect_is_single_node_and_serializes_writes() {
      assertThat(store.dialect().singleNode()).isTrue();
      assertThat(store.dialect().serializeWrites()).isTrue();
    }

    @Test
    void maintenance_starts_over_a_write_ahead_log_grown_past_its_limit_and_cuts_its_file()
        throws Exception {
      String body = "{\"blob\":\"" + "x".repeat(200_000) + "\"}";
      Path wal = Path.of(database.url().substring("jdbc:sqlite:".length()) + "-wal");
      for (int batch = 0; Files.size(wal) <= 260L << 20; batch++) {
        List<NewTask> tasks = new ArrayList<>();
        for (int i = 0; i < 20; i++) tasks.add(aPushTask().body(body).build());
        store.inserts().create(List.of(new TaskBatch(tasks)), T0.plusSeconds(batch), KEY_TTL);
      }

      store.maintain();
      store.inserts().create(List.of(new TaskBatch(List.of(aPushTask().build()))), T0, KEY_TTL);

      assertThat(walPages())
          .as("pages in the WAL after maintenance and one commit")
          .isLessThan(100);
      assertThat(Files.size(wal)).as("WAL bytes").isLessThanOrEqualTo(256L << 20);
      assertThat(store.tasks().list(new TaskQuery(null, null, null, 1, null)).tasks()).hasSize(1);
    }

    private int walPages() throws SQLException {
      try (Connection c = DriverManager.getConnection(database.url());
          Statement s = c.createStatement();
          ResultSet checkpoint = s.executeQuery("PRAGMA wal_checkpoint(PASSIVE)")) {
        checkpoint.next();
        return checkpoint.getInt(2);
      }
    }
  }
}
