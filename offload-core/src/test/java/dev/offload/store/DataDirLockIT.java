package dev.offload.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One process per SQLite folder: a second one is refused, and a killed one leaves nothing that
 * blocks.
 */
class DataDirLockIT {
  @TempDir Path dir;
  private Process other;

  @AfterEach
  void killOther() throws InterruptedException {
    if (other != null) {
      other.destroyForcibly();
      other.waitFor(30, TimeUnit.SECONDS);
    }
  }

  private JdbcStore open() {
    return JdbcStore.open(new SqliteDialect(dir.resolve("offload.db"), false));
  }

  /** Another JVM that opens the store of {@code dir} and keeps it open. */
  private Process otherProcessHoldingTheStore() throws Exception {
    String java = ProcessHandle.current().info().command().orElseThrow();
    Process process =
        new ProcessBuilder(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                HoldStoreMain.class.getName(),
                dir.toString())
            .redirectErrorStream(true)
            .start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    String line;
    StringBuilder seen = new StringBuilder();
    while ((line = out.readLine()) != null && !line.equals("open")) seen.append(line).append('\n');
    assertThat(line)
        .as("the other process opened the store; it printed:\n" + seen)
        .isEqualTo("open");
    return process;
  }

  @Test
  void a_second_process_on_the_same_folder_is_refused_naming_the_folder_and_the_other_process()
      throws Exception {
    other = otherProcessHoldingTheStore();

    assertThatThrownBy(this::open)
        .isInstanceOf(StoreInUseException.class)
        .hasMessageContaining(dir.toAbsolutePath().toString())
        .hasMessageContaining("pid " + other.pid());
    assertThat(other.isAlive()).isTrue();
  }

  @Test
  void a_lock_left_by_a_killed_process_does_not_block_the_next_start() throws Exception {
    other = otherProcessHoldingTheStore();
    other.destroyForcibly();
    assertThat(other.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(Files.readString(dir.resolve("offload.db.lock")).strip())
        .as("the dead process's pid is still in the file")
        .isEqualTo(Long.toString(other.pid()));

    try (JdbcStore store = open()) {
      assertThat(store.isReachable()).isTrue();
      assertThat(Files.readString(dir.resolve("offload.db.lock")).strip())
          .isEqualTo(Long.toString(ProcessHandle.current().pid()));
    }
  }

  @Test
  void within_one_process_the_folder_opens_again_once_the_first_store_is_closed() throws Exception {
    JdbcStore first = open();
    assertThatThrownBy(this::open)
        .isInstanceOf(StoreInUseException.class)
        .hasMessageContaining("pid " + ProcessHandle.current().pid());
    first.close();

    try (JdbcStore again = open()) {
      assertThat(again.isReachable()).isTrue();
    }
  }
}
