package dev.offload.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One {@code offload serve} per SQLite data folder, as a user runs it: the jar in JVMs of their
 * own.
 */
class SecondServerIT {
  @TempDir Path workDir;
  private final List<OffloadProcess> processes = new ArrayList<>();

  @AfterEach
  void stop() {
    processes.forEach(OffloadProcess::close);
  }

  private OffloadProcess serve(String name, Path dataDir) throws Exception {
    OffloadProcess process =
        OffloadProcess.serve(name, workDir, OffloadProcess.freePort(), dataDir);
    processes.add(process);
    return process.awaitUp("/readyz");
  }

  @Test
  void a_second_server_on_the_same_data_dir_refuses_to_start_naming_the_folder_and_the_first()
      throws Exception {
    Path dataDir = workDir.resolve("data");
    OffloadProcess first = serve("first", dataDir);

    OffloadProcess.Result second =
        OffloadProcess.run(
            workDir,
            Duration.ofSeconds(60),
            "serve",
            "--port",
            Integer.toString(OffloadProcess.freePort()),
            "--data-dir",
            dataDir.toString());

    assertThat(second.exitCode()).as(second.toString()).isNotZero();
    assertThat(second.err())
        .as(second.toString())
        .contains(dataDir.toAbsolutePath().toString())
        .contains("pid " + first.pid());
    assertThat(first.isAlive()).isTrue();
    assertThat(first.get("/readyz").status()).isEqualTo(200);
  }

  @Test
  void a_server_killed_hard_leaves_nothing_that_blocks_the_next_start() throws Exception {
    Path dataDir = workDir.resolve("data");
    serve("killed", dataDir).kill();

    OffloadProcess next = serve("next", dataDir);

    assertThat(next.get("/readyz").status()).isEqualTo(200);
  }
}
