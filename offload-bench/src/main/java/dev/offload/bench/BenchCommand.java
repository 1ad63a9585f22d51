package dev.offload.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code java -jar offload-bench.jar}: runs W1–W6 and the soak against offload.jar and prints a
 * table with ratios to a same-run baseline.
 */
@Command(
    name = "offload-bench",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Runs the Offload benchmark workloads against offload.jar in a process of its own, each on a fresh store:",
      "  w1 enqueue (one task a request, and batches), w2 end to end, w3 open-loop latency, w4 slow tasks,",
      "  w5 backlog (claims and reads past a paused backlog), w6 history (w2 on a store full of finished tasks),",
      "  purge (w2 while the purger deletes a backlog of tasks past their retention),",
      "  soak (a steady open loop; database size and server RSS over time),",
      "  peer (w2's passes against BullMQ on Redis, once a run; w2 then also prints its ratios to BullMQ's)."
          + " CPU per task from /proc for every workload where tasks flow.",
      "Every figure is compared with this client's own figure against the bare target, measured in the same run."
    })
public final class BenchCommand implements Callable<Integer> {
  @Option(
      names = "--store",
      split = ",",
      defaultValue = "sqlite",
      description = "sqlite and/or postgres, comma-separated (default ${DEFAULT-VALUE}).")
  List<String> stores;

  @Option(
      names = "--workloads",
      split = ",",
      defaultValue = "w1,w2,w3,w4",
      description = "Which workloads, in order (default ${DEFAULT-VALUE}).")
  List<String> workloads;

  @Option(
      names = "--tasks",
      defaultValue = "20000",
      description = "W1 and W2 tasks, and baseline requests (default ${DEFAULT-VALUE}).")
  int tasks;

  @Option(
      names = "--concurrency",
      defaultValue = "64",
      description =
          "Requests in flight for W1, W2, W4 creates and the baseline (default ${DEFAULT-VALUE}).")
  int concurrency;

  @Option(
      names = "--batch-size",
      defaultValue = "100",
      description = "Tasks a POST /v1/tasks/batch in W1 (default ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(
      names = "--rate",
      defaultValue = "1000",
      description = "W3 tasks a second, open loop (default ${DEFAULT-VALUE}).")
  int rate;

  @Option(
      names = "--duration",
      defaultValue = "30s",
      converter = DurationText.class,
      description = "How long W3 sends (default ${DEFAULT-VALUE}).")
  Duration duration;

  @Option(
      names = "--slow-tasks",
      defaultValue = "10000",
      description = "W4 tasks (default ${DEFAULT-VALUE}).")
  int slowTasks;

  @Option(
      names = "--hold",
      defaultValue = "30s",
      converter = DurationText.class,
      description = "How long the W4 target holds each call (default ${DEFAULT-VALUE}).")
  Duration hold;

  @Option(
      names = "--backlog",
      defaultValue = "1000000",
      description =
          "W5: ready tasks in a paused queue; purge: tasks past their retention (default ${DEFAULT-VALUE}).")
  int backlog;

  @Option(
      names = "--finished",
      defaultValue = "5000000",
      description = "W5 and W6: finished tasks in the store (default ${DEFAULT-VALUE}).")
  int finished;

  @Option(
      names = "--flow-tasks",
      defaultValue = "10000",
      description =
          "W5: tasks in another queue past the backlog, and the small backlog it is compared with (default ${DEFAULT-VALUE}).")
  int flowTasks;

  @Option(
      names = "--drain-window",
      defaultValue = "20s",
      converter = DurationText.class,
      description =
          "W5: how long the drain of the big backlog is measured (default ${DEFAULT-VALUE}).")
  Duration drainWindow;

  @Option(
      names = "--soak-rate",
      defaultValue = "500",
      description = "Soak: tasks a second, open loop (default ${DEFAULT-VALUE}).")
  int soakRate;

  @Option(
      names = "--soak-duration",
      defaultValue = "30m",
      converter = DurationText.class,
      description =
          "Soak: how long it sends; sizes are sampled at 5/30, 15/30 and the end of it (default ${DEFAULT-VALUE}).")
  Duration soakDuration;

  @Option(
      names = "--warmup",
      defaultValue = "5000",
      description =
          "Untimed requests to each fresh server and to the sink first (default ${DEFAULT-VALUE}).")
  int warmup;

  @Option(
      names = "--jar",
      defaultValue = "offload-server/target/offload.jar",
      description = "The server jar (default ${DEFAULT-VALUE}).")
  Path jar;

  @Option(
      names = "--database-url",
      defaultValue = BenchConfig.DEFAULT_DATABASE_URL,
      description =
          "PostgreSQL database; each workload works in a schema of its own and drops it (default ${DEFAULT-VALUE}).")
  String databaseUrl;

  @Option(
      names = "--server-java-option",
      description = "Extra JVM option for the server process, repeatable (e.g. -Xmx512m).")
  List<String> serverJavaOptions = List.of();

  @Option(
      names = "--server-arg",
      description =
          "Extra option for offload serve, repeatable; attach its value with = (e.g. --server-arg=--retain-succeeded=1m).")
  List<String> serverArgs = List.of();

  @Option(
      names = "--peer-dir",
      defaultValue = "offload-bench/peer/bullmq",
      description =
          "The BullMQ peer's folder; its npm packages are installed there (npm ci) if missing (default ${DEFAULT-VALUE}).")
  Path peerDir;

  @Option(
      names = "--redis",
      defaultValue = RedisAddress.DEFAULT,
      description = "The Redis the BullMQ peer uses, host:port (default ${DEFAULT-VALUE}).")
  String redis;

  @Option(
      names = "--report",
      defaultValue = "bench-report.json",
      description = "JSON report to write (default ${DEFAULT-VALUE}).")
  Path report;

  public static void main(String[] args) {
    CommandLine cli = new CommandLine(new BenchCommand());
    cli.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> {
          commandLine.getErr().println("offload-bench: " + e.getMessage());
          return 2;
        });
    System.exit(cli.execute(args));
  }

  @Override
  public Integer call() throws Exception {
    BenchConfig config =
        new BenchConfig(
            stores,
            workloads,
            tasks,
            concurrency,
            batchSize,
            rate,
            duration,
            slowTasks,
            hold,
            backlog,
            finished,
            flowTasks,
            drainWindow,
            soakRate,
            soakDuration,
            warmup,
            jar,
            databaseUrl,
            serverJavaOptions,
            serverArgs,
            peerDir,
            RedisAddress.parse(redis),
            report);
    // Before the baseline, so a missing jar costs no waiting.
    if (!Files.isRegularFile(jar)) {
      throw new IllegalArgumentException(
          "no server jar at "
              + jar.toAbsolutePath()
              + "; build it with ./build -q -DskipTests package, or pass --jar");
    }
    Report result = BenchRun.execute(config, System.err);
    System.out.println();
    System.out.print(result.table());
    result.writeJson(report);
    System.out.println("\nreport written to " + report.toAbsolutePath());
    for (Report.Failure failure : result.failures()) {
      System.out.println(
          "FAILED " + failure.workload() + " on " + failure.store() + ": " + failure.message());
    }
    return result.failures().isEmpty() ? 0 : 1;
  }
}
