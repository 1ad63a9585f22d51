package dev.offload.store;

import static dev.offload.task.TestTasks.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.offload.task.TaskId;
import dev.offload.task.TaskStatus;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store contract on a real SQLite file in WAL mode. */
class SqliteStoreTest extends StoreContractTest {
  @TempDir Path tempDir;

  @Override
  JdbcStore openStore() {
    return JdbcStore.open(new SqliteDialect(tempDir.resolve("offload.db"), false));
  }

  @Test
  void tasks_and_settings_survive_reopening_the_file() throws Exception {
    TaskId id = create(T0, aPushTask().build());
    store.setting("task_token_key", "first");
    store.close();

    store = openStore();

    assertThat(find(id).status()).isEqualTo(TaskStatus.QUEUED);
    assertThat(store.setting("task_token_key", "second")).isEqualTo("first");
  }

  @Test
  void the_sqlite_dialect_is_single_node_and_serializes_writes() {
    assertThat(store.dialect().singleNode()).isTrue();
    assertThat(store.dialect().serializeWrites()).isTrue();
  }
}
