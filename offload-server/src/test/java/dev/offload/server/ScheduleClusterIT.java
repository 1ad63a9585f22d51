package dev.offload.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.offload.server.TestTarget.Reply;
import dev.offload.testing.TestPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two nodes on one PostgreSQL schema both run the cron loop; each slot must create one task. */
class ScheduleClusterIT {
  private static final int SLOTS = 30;

  @TempDir Path dir;
  private String databaseUrl;
  private TestTarget target;
  private RunningServer a;
  private RunningServer b;

  @BeforeEach
  void start() {
    databaseUrl = TestPostgres.freshSchemaUrl();
    target = new TestTarget();
    target.on("/tick", Reply.ok("{}"));
    a = new RunningServer(dir.resolve("a"), c -> c.withDatabaseUrl(databaseUrl));
    b = new RunningServer(dir.resolve("b"), c -> c.withDatabaseUrl(databaseUrl));
  }

  @AfterEach
  void stop() {
    if (a != null) a.close();
    if (b != null) b.close();
    if (target != null) target.close();
    if (databaseUrl != null) TestPostgres.dropSchema(databaseUrl);
  }

  @Test
  void fires_once_per_slot_across_two_nodes() throws Exception {
    String body =
        "{\"cron\":\"@every 1s\",\"task\":{\"callbackUrl\":\"" + target.url("/tick") + "\"}}";
    // Both nodes declare it, as two nodes starting with one schedules file would.
    assertThat(a.put("/v1/schedules/pulse", body).status()).isEqualTo(201);
    assertThat(b.put("/v1/schedules/pulse", body).status()).isEqualTo(200);

    await()
        .atMost(Duration.ofSeconds(SLOTS + 30))
        .pollInterval(Duration.ofMillis(500))
        .until(
            () ->
                count("SELECT COUNT(*) FROM schedule_runs WHERE schedule_name = 'pulse'") >= SLOTS);
    a.post("/v1/schedules/pulse/pause", "");

    long slots =
        count("SELECT COUNT(DISTINCT slot_at) FROM schedule_runs WHERE schedule_name = 'pulse'");
    long tasks = count("SELECT COUNT(*) FROM tasks WHERE schedule_name = 'pulse'");
    long unrecorded =
        count(
            "SELECT COUNT(*) FROM tasks t WHERE schedule_name = 'pulse'"
                + " AND NOT EXISTS (SELECT 1 FROM schedule_runs r WHERE r.task_id = t.id)");
    long sameSecond =
        count(
            "SELECT COUNT(*) - COUNT(DISTINCT created_at / 1000) FROM tasks WHERE schedule_name = 'pulse'");
    System.out.printf(
        "two-node schedule test: %d slots, %d tasks, %d duplicates, %d same-second tasks%n",
        slots, tasks, tasks - slots, sameSecond);

    assertThat(slots).isGreaterThanOrEqualTo(SLOTS);
    assertThat(tasks).isEqualTo(slots);
    assertThat(unrecorded).isZero();
    await().atMost(Duration.ofSeconds(20)).until(() -> target.received("/tick").size() >= tasks);
    assertThat(target.received("/tick").stream().map(c -> c.header("Offload-Task-Id")).distinct())
        .hasSize((int) tasks);
  }

  private long count(String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection(databaseUrl);
        Statement s = c.createStatement();
        ResultSet row = s.executeQuery(sql)) {
      row.next();
      return row.getLong(1);
    }
  }
}
