package dev.offload.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * What one bench run does, validated once.
 *
 * @param stores        sqlite and/or postgres, each run against a fresh store per workload
 * @param workloads     w1..w4, in the order given
 * @param tasks         W1 and W2 task count, and the baseline's request count
 * @param concurrency   requests in flight at once for the closed-loop producers and the baseline
 * @param batchSize     tasks per {@code POST /v1/tasks/batch} in W1
 * @param rate          W3 tasks per second (open loop)
 * @param duration      how long W3 sends
 * @param slowTasks     W4 task count
 * @param hold          how long the W4 target holds each call
 * @param warmup        requests sent to each fresh server (tasks delayed by an hour, never run)
 *                      and to the sink before anything is measured, so the JIT is warm
 * @param jar           offload.jar to run
 * @param databaseUrl   PostgreSQL database in which each workload gets a schema of its own
 * @param serverJavaOptions extra JVM options for the server process
 * @param purgeBacklog  finished tasks past their retention written into each fresh store, for the purger to delete
 * @param report        JSON report to write; null for none
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
    int warmup,
    Path jar,
    String databaseUrl,
    List<String> serverJavaOptions,
    int purgeBacklog,
    Path report) {
  static final String DEFAULT_DATABASE_URL = "jdbc:postgresql://127.0.0.1:5432/test?user=root";
  private static final Set<String> STORES = Set.of("sqlite", "postgres");
  private static final Set<String> WORKLOADS = Set.of("w1", "w2", "w3", "w4");

  BenchConfig {
    stores = List.copyOf(stores);
    workloads = List.copyOf(workloads);
    serverJavaOptions = List.copyOf(serverJavaOptions);
    if (stores.isEmpty() || !STORES.containsAll(stores)) throw new IllegalArgumentException("--store takes sqlite and/or postgres, got " + stores);
    if (workloads.isEmpty() || !WORKLOADS.containsAll(workloads)) throw new IllegalArgumentException("--workloads takes w1..w4, got " + workloads);
    positive("--tasks", tasks);
    positive("--concurrency", concurrency);
    positive("--rate", rate);
    positive("--slow-tasks", slowTasks);
    if (batchSize < 1 || batchSize > 1000) throw new IllegalArgumentException("--batch-size must be 1..1000, got " + batchSize);
    if (purgeBacklog < 0) throw new IllegalArgumentException("--purge-backlog must be >= 0, got " + purgeBacklog);
    if (warmup < 0) throw new IllegalArgumentException("--warmup must be >= 0, got " + warmup);
    if (duration.toMillis() < 100) throw new IllegalArgumentException("--duration must be at least 100ms, got " + duration);
    if (hold.isNegative()) throw new IllegalArgumentException("--hold must be >= 0, got " + hold);
  }

  /** Small sizes that still run every code path; the smoke test uses them. */
  static BenchConfig tiny(List<String> stores, Path jar, String databaseUrl, Path report) {
    return new BenchConfig(stores, List.of("w1", "w2", "w3", "w4"), 300, 64, 100, 100, Duration.ofSeconds(2), 200,
        Duration.ofSeconds(2), 50, jar, databaseUrl, List.of(), 0, report);
  }

  /** W4's per-attempt timeout: the hold plus room for the ramp, as the 2m for a 30s hold. */
  Duration slowTaskTimeout() {
    return hold.plusSeconds(90);
  }

  private static void positive(String option, int value) {
    if (value < 1) throw new IllegalArgumentException(option + " must be >= 1, got " + value);
  }
}
