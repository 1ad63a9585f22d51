package dev.offload.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * What one bench run does, validated once.
 *
 * @param stores sqlite and/or postgres, each run against a fresh store per workload
 * @param workloads w1..w6, purge, soak, in the order given
 * @param tasks W1 and W2 task count, and the baseline's request count
 * @param concurrency requests in flight at once for the closed-loop producers and the baseline
 * @param batchSize tasks per {@code POST /v1/tasks/batch} in W1
 * @param rate W3 tasks per second (open loop)
 * @param duration how long W3 sends
 * @param slowTasks W4 task count
 * @param hold how long the W4 target holds each call
 * @param backlog W5's ready tasks in a paused queue; the purge workload's tasks past their
 *     retention
 * @param finished finished tasks in the store for W5 and W6
 * @param flowTasks W5's tasks in another queue, and its small backlog
 * @param drainWindow how long W5 measures the drain of its big backlog
 * @param soakRate the soak's tasks per second (open loop)
 * @param soakDuration how long the soak sends
 * @param warmup requests sent to each fresh server (tasks delayed by an hour, never run) and to the
 *     sink before anything is measured, so the JIT is warm
 * @param jar offload.jar to run
 * @param databaseUrl PostgreSQL database in which each workload gets a schema of its own
 * @param serverJavaOptions extra JVM options for the server process
 * @param serverArgs extra {@code offload serve} options, e.g. {@code --retain-succeeded=1m} for the
 *     soak
 * @param peerDir the BullMQ peer's folder (package.json, producer.js, worker.js)
 * @param redis the Redis the peer uses
 * @param report JSON report to write; null for none
 */
record BenchConfig(
    List<String> stores,
    List<String> workloads,
    int tasks,
    int concurrency,
    int batchSize,
    int rate,
    Duration duration,
    int slowTasks,
    Duration hold,
    int backlog,
    int finished,
    int flowTasks,
    Duration drainWindow,
    int soakRate,
    Duration soakDuration,
    int warmup,
    Path jar,
    String databaseUrl,
    List<String> serverJavaOptions,
    List<String> serverArgs,
    Path peerDir,
    RedisAddress redis,
    Path report) {
  static final String DEFAULT_DATABASE_URL = "jdbc:postgresql://127.0.0.1:5432/test?user=root";
  private static final Set<String> STORES = Set.of("sqlite", "postgres");
  private static final Set<String> WORKLOADS =
      Set.of("w1", "w2", "w3", "w4", "w5", "w6", "purge", "soak", "peer");

  BenchConfig {
    stores = List.copyOf(stores);
    workloads = List.copyOf(workloads);
    serverJavaOptions = List.copyOf(serverJavaOptions);
    serverArgs = List.copyOf(serverArgs);
    if (stores.isEmpty() || !STORES.containsAll(stores))
      throw new IllegalArgumentException("--store takes sqlite and/or postgres, got " + stores);
    if (workloads.isEmpty() || !WORKLOADS.containsAll(workloads)) {
      throw new IllegalArgumentException(
          "--workloads takes w1..w6, purge, soak and peer, got " + workloads);
    }
    positive("--tasks", tasks);
    positive("--concurrency", concurrency);
    positive("--rate", rate);
    positive("--slow-tasks", slowTasks);
    positive("--backlog", backlog);
    positive("--flow-tasks", flowTasks);
    positive("--soak-rate", soakRate);
    if (finished < 0)
      throw new IllegalArgumentException("--finished must be >= 0, got " + finished);
    if (drainWindow.toMillis() < 100)
      throw new IllegalArgumentException(
          "--drain-window must be at least 100ms, got " + drainWindow);
    if (soakDuration.toMillis() < 100)
      throw new IllegalArgumentException(
          "--soak-duration must be at least 100ms, got " + soakDuration);
    if (batchSize < 1 || batchSize > 1000)
      throw new IllegalArgumentException("--batch-size must be 1..1000, got " + batchSize);
    if (warmup < 0) throw new IllegalArgumentException("--warmup must be >= 0, got " + warmup);
    if (duration.toMillis() < 100)
      throw new IllegalArgumentException("--duration must be at least 100ms, got " + duration);
    if (hold.isNegative()) throw new IllegalArgumentException("--hold must be >= 0, got " + hold);
  }

  /** Small sizes that still run every code path; the smoke test uses them. */
  static BenchConfig tiny(
      List<String> stores,
      List<String> workloads,
      Path jar,
      String databaseUrl,
      Path peerDir,
      Path report) {
    return new BenchConfig(
        stores,
        workloads,
        300,
        64,
        100,
        100,
        Duration.ofSeconds(2),
        200,
        Duration.ofSeconds(2),
        BulkLoad.CHUNK + 1000,
        BulkLoad.CHUNK + 1000,
        500,
        Duration.ofSeconds(1),
        50,
        Duration.ofSeconds(6),
        50,
        jar,
        databaseUrl,
        List.of(),
        List.of(),
        peerDir,
        RedisAddress.parse(RedisAddress.DEFAULT),
        report);
  }

  /**
   * W4's per-attempt timeout: the hold plus room for the ramp, as the 2m for a 30s hold.
   */
  Duration slowTaskTimeout() {
    return hold.plusSeconds(90);
  }

  private static void positive(String option, int value) {
    if (value < 1) throw new IllegalArgumentException(option + " must be >= 1, got " + value);
  }
}
