package dev.offload.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs every workload at tiny sizes against the real offload.jar (built earlier in the reactor), so
 * the harness itself is known to work; the figures at these sizes mean nothing.
 */
class BenchSmokeIT {
  private static final Path JAR =
      Path.of(System.getProperty("offload.jar", "../offload-server/target/offload.jar"));
  private static final Path PEER_DIR =
      Path.of(System.getProperty("offload.peer.dir", "peer/bullmq"));
  private static final List<String> WORKLOADS =
      List.of("w1", "w2", "w3", "w4", "w5", "w6", "purge", "soak");

  @BeforeAll
  static void serverJarIsBuilt() {
    assertThat(JAR).as("offload-server's shaded jar; build offload-server first").isRegularFile();
  }

  @Test
  void every_workload_reports_figures_and_ratios_on_sqlite(@TempDir Path dir) throws Exception {
    runAndCheck("sqlite", BenchConfig.DEFAULT_DATABASE_URL, dir);
  }

  @Test
  void every_workload_reports_figures_and_ratios_on_postgres(@TempDir Path dir) throws Exception {
    String url =
        System.getenv().getOrDefault("OFFLOAD_TEST_PG_URL", BenchConfig.DEFAULT_DATABASE_URL);
    if (!PostgresSchema.reachable(url)) {
      if ("true".equals(System.getenv("CI")))
        fail("PostgreSQL at " + url + " is unreachable, and CI=true needs it");
      Assumptions.abort(
          "PostgreSQL at "
              + url
              + " is unreachable; set OFFLOAD_TEST_PG_URL or start it to run this test");
    }
    runAndCheck("postgres", url, dir);
  }

  /**
   * Needs Redis and Node.js (in CI both: .ci/run starts Redis and installs Node and the peer's
   * packages first).
   */
  @Test
  void w2_is_compared_with_the_bullmq_peer_measured_in_the_same_run(@TempDir Path dir)
      throws Exception {
    RedisAddress redis = RedisAddress.parse(RedisAddress.DEFAULT);
    String missing =
        !redis.answers()
            ? "no Redis answers at " + redis
            : !nodeRuns() ? "Node.js is not on the PATH" : null;
    if (missing != null) {
      if ("true".equals(System.getenv("CI")))
        fail(missing + ", and CI=true needs it for the BullMQ peer");
      Assumptions.abort(missing + "; the BullMQ peer needs both");
    }
    Report report =
        BenchRun.execute(
            BenchConfig.tiny(
                List.of("sqlite"),
                List.of("w2", "peer"),
                JAR,
                BenchConfig.DEFAULT_DATABASE_URL,
                PEER_DIR,
                dir.resolve("r.json")),
            System.err);

    assertThat(report.failures()).as("workloads that failed").isEmpty();
    assertThat(report.figures())
        .filteredOn(f -> f.workload().equals("peer") && f.store().equals("redis"))
        .as("the peer's own figures")
        .anyMatch(
            f ->
                f.name().equals("end to end, 300 tasks, 1 a request")
                    && f.value() > 0
                    && f.ratio() > 0)
        .anyMatch(f -> f.name().equals("end to end, 300 tasks, 100 a request") && f.value() > 0)
        .anyMatch(
            f ->
                f.name().equals("producer + worker + redis-server CPU per task, 1 a request")
                    && f.value() > 0);
    assertThat(report.figures())
        .filteredOn(f -> f.workload().equals("w2") && f.name().endsWith("against BullMQ"))
        .extracting(Figure::name)
        .containsExactly(
            "end to end, 1 a request, against BullMQ",
            "server CPU per task, 1 a request, against BullMQ",
            "end to end, 100 a request, against BullMQ",
            "server CPU per task, 100 a request, against BullMQ");
    assertThat(report.figures())
        .filteredOn(f -> f.name().endsWith("against BullMQ") && f.name().startsWith("end to end"))
        .allSatisfy(f -> assertThat(f.ratio()).isPositive());
  }

  private static boolean nodeRuns() throws InterruptedException {
    try {
      Process node = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
      return node.waitFor(30, TimeUnit.SECONDS) && node.exitValue() == 0;
    } catch (java.io.IOException e) {
      return false;
    }
  }

  private static void runAndCheck(String store, String databaseUrl, Path dir) throws Exception {
    Path json = dir.resolve("bench-report.json");
    Report report =
        BenchRun.execute(
            BenchConfig.tiny(List.of(store), WORKLOADS, JAR, databaseUrl, PEER_DIR, json),
            System.err);
    report.writeJson(json);

    assertThat(report.failures()).as("workloads that failed").isEmpty();
    for (String workload : WORKLOADS) {
      assertThat(report.figures())
          .as("a positive figure for %s on %s", workload, store)
          .anyMatch(
              f ->
                  f.workload().equals(workload)
                      && f.store().equals(store)
                      && f.value() != null
                      && f.value() > 0);
    }
    // Under load the tiny W4 may never hold every call at once; it then reports the peak instead.
    // CPU is read in clock ticks (10 ms) a process: a tiny pass's may round to none.
    assertThat(report.figures())
        .filteredOn(
            f -> f.baseline() != null && f.value() != null && !f.name().contains(" CPU per task, "))
        .as("figures compared with a baseline")
        .hasSizeGreaterThanOrEqualTo(WORKLOADS.size())
        .allSatisfy(
            f -> assertThat(f.ratio()).as("ratio of %s", f.name()).isNotNull().isPositive());
    List<String> cpuOf =
        store.equals("postgres")
            ? List.of("server", "PostgreSQL backends", "server + PostgreSQL backends")
            : List.of("server");
    for (String workload : List.of("w1", "w2", "w3", "w4", "w6", "purge", "soak")) {
      assertThat(report.figures())
          .as("CPU per task of %s on %s", workload, store)
          .filteredOn(f -> f.workload().equals(workload) && f.name().contains(" CPU per task, "))
          .extracting(f -> f.name().substring(0, f.name().indexOf(" CPU per task, ")))
          .containsAll(cpuOf);
    }
    assertThat(report.figures())
        .as("the server's CPU per task in W2, against a bare call's")
        .anyMatch(
            f ->
                f.workload().equals("w2")
                    && f.name().equals("server CPU per task, 1 a request")
                    && f.value() > 0
                    && f.ratio() > 0);
    assertThat(report.table()).startsWith("| workload | store").contains("| w4 ");
    // The loaded backlog reached the sink once resumed, and other queues flowed past it while
    // paused.
    assertThat(report.figures())
        .filteredOn(f -> f.workload().equals("w5") && f.baseline() != null)
        .anyMatch(f -> f.name().startsWith("drain of") && f.value() > 0)
        .anyMatch(f -> f.name().contains("through another queue") && f.value() > 0);
    for (String when : List.of("paused", "draining")) {
      assertThat(report.figures())
          .as("W5 read p99s with the backlog %s", when)
          .filteredOn(
              f ->
                  f.workload().equals("w5")
                      && f.name().contains(" p99 of ")
                      && f.name().contains(when))
          .extracting(Figure::name)
          .anyMatch(name -> name.startsWith("GET /v1/queues/{name}/history "))
          .anyMatch(name -> name.startsWith("GET /v1/tasks?queue=&cursor= "))
          .anyMatch(name -> name.startsWith("GET /metrics "))
          .anyMatch(name -> name.startsWith("GET /v1/nodes "));
    }
    assertThat(report.figures())
        .filteredOn(f -> f.workload().equals("w6") && f.ratio() != null)
        .extracting(Figure::name)
        .anyMatch(name -> name.startsWith("W2 end to end"))
        .anyMatch(name -> name.startsWith("GET /v1/tasks?scheduleName= p99"));
    assertThat(report.figures())
        .filteredOn(f -> f.workload().equals("purge") && f.ratio() != null)
        .extracting(Figure::name)
        .anyMatch(name -> name.startsWith("W2 end to end") && name.contains("while purging"));
    assertThat(report.figures())
        .filteredOn(f -> f.workload().equals("soak") && f.name().startsWith("database size at "))
        .as("the soak's size samples at 5, 15 and 30 thirtieths of its 6 s")
        .extracting(Figure::name)
        .containsExactly("database size at 1s", "database size at 3s", "database size at 6s");

    JsonNode written = new ObjectMapper().readTree(Files.readString(json));
    assertThat(written.path("figures")).hasSize(report.figures().size());
    assertThat(written.path("machine").path("cores").asInt()).isPositive();
  }
}
