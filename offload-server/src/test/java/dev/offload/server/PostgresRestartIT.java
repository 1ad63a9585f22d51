package dev.offload.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.offload.testing.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PostgreSQL restarts under load: creates answer 503 while it is down (never a 202 that is not
 * committed), every accepted task still runs, and the node recovers without a restart.
 */
class PostgresRestartIT {
  @TempDir Path dir;
  private String databaseUrl;
  private TestTarget target;
  private RunningServer server;

  @AfterEach
  void stop() {
    if (server != null) server.close();
    if (target != null) target.close();
    if (databaseUrl != null) TestPostgres.dropSchema(databaseUrl);
  }

  @Test
  void no_accepted_task_is_lost_when_postgres_restarts_under_load() throws Exception {
    List<String> restart = restartCommand();
    databaseUrl = TestPostgres.freshSchemaUrl();
    target = new TestTarget();
    server = new RunningServer(dir, c -> c.withDatabaseUrl(databaseUrl));
    String task = "{\"callbackUrl\":\"" + target.url("/work") + "\"}";

    Set<String> accepted = ConcurrentHashMap.newKeySet();
    AtomicInteger unavailable = new AtomicInteger();
    AtomicInteger unexpected = new AtomicInteger();
    AtomicBoolean producing = new AtomicBoolean(true);
    try (ExecutorService producers = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int p = 0; p < 4; p++) {
        producers.submit(
            () -> {
              while (producing.get()) {
                try {
                  RunningServer.Answer answer = server.post("/v1/tasks", task);
                  if (answer.status() == 202) accepted.add(answer.body().get("taskId").asText());
                  else if (answer.status() == 503) unavailable.incrementAndGet();
                  else unexpected.incrementAndGet();
                } catch (IllegalStateException e) {
                  unexpected.incrementAndGet();
                }
              }
            });
      }
      await().atMost(Duration.ofSeconds(30)).until(() -> accepted.size() >= 200);
      Process restarting = new ProcessBuilder(restart).inheritIO().start();
      assertThat(restarting.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(restarting.exitValue()).isZero();
      int acceptedAtRestart = accepted.size();
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> accepted.size() >= acceptedAtRestart + 200);
      producing.set(false);
    }

    System.out.printf(
        "postgres restart: %d tasks accepted, %d creates answered 503 while it was down%n",
        accepted.size(), unavailable.get());
    assertThat(unexpected.get()).as("answers other than 202 and 503").isZero();
    assertThat(server.get("/readyz").status()).isEqualTo(200);
    await()
        .atMost(Duration.ofSeconds(120))
        .until(
            () ->
                target.received("/work").stream()
                        .map(r -> r.header("Offload-Task-Id"))
                        .distinct()
                        .filter(accepted::contains)
                        .count()
                    == accepted.size());
    for (String id : accepted.stream().limit(50).toList()) {
      assertThat(server.awaitFinished(id).get("status").asText()).isEqualTo("succeeded");
    }
  }

  /** {@code pg_ctlcluster <version> main restart}; skipped off CI where it cannot run. */
  private static List<String> restartCommand() throws Exception {
    Path clusters = Path.of("/etc/postgresql");
    boolean canRestart =
        Files.isDirectory(clusters)
            && new ProcessBuilder("which", "pg_ctlcluster").start().waitFor() == 0;
    if (!canRestart && "true".equals(System.getenv("CI"))) {
      throw new IllegalStateException("CI must be able to restart PostgreSQL with pg_ctlcluster");
    }
    assumeTrue(canRestart, "pg_ctlcluster is not available here; skipped outside CI");
    String version;
    try (var versions = Files.list(clusters)) {
      version =
          versions.map(p -> p.getFileName().toString()).sorted().reduce((a, b) -> b).orElseThrow();
    }
    return List.of("pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart");
  }
}
