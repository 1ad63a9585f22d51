package dev.offload.bench;

import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.HdrHistogram.Histogram;

/**
 * One bench run: the load client and sink shared by every workload, the same-run baselines, and a
 * fresh server per workload. A failing workload is recorded in the report and the run goes on.
 */
final class BenchRun implements AutoCloseable {
  private final BenchConfig config;
  private final PrintStream progress;
  private final LoadClient client;
  private final Sink sink;
  private double rawRequestsPerSecond;
  private double bareCallCpuMillis = Double.NaN;
  private DirectPath directPath;
  private W2EndToEnd.Passes peer;

  /**
   * W3's baseline in microseconds: intended send → sink received, and → answer back at the client.
   */
  record DirectPath(Histogram received, Histogram answered) {}

  private BenchRun(BenchConfig config, PrintStream progress) {
    this.config = config;
    this.progress = progress;
    // Two minutes covers a create queued behind a stalled server; the bench reports such stalls.
    this.client = new LoadClient(config.concurrency(), Duration.ofMinutes(2));
    this.sink = new Sink();
  }

  static Report execute(BenchConfig config, PrintStream progress) throws Exception {
    try (BenchRun run = new BenchRun(config, progress)) {
      return run.runAll();
    }
  }

  private Report runAll() throws Exception {
    Report report = new Report(config, MachineInfo.collect(config.jar()));
    measureRawRate();
    report.add(
        Figure.of(
            "baseline",
            "-",
            "client → sink, " + config.concurrency() + " in flight",
            "req/s",
            rawRequestsPerSecond));
    if (!Double.isNaN(bareCallCpuMillis)) {
      report.add(
          Figure.of(
              "baseline",
              "-",
              "CPU a client → sink call, both ends in the bench's JVM",
              "ms",
              bareCallCpuMillis));
    }
    progress.printf(
        Locale.ROOT,
        "baseline: %,.0f req/s from this client straight to the sink, %.3f ms of CPU a call%n",
        rawRequestsPerSecond,
        bareCallCpuMillis);
    // Before any server runs, so the bare path's latency is measured on a quiet machine.
    if (config.workloads().contains("w3")) directPath();
    // Once a run, before any server: W2 on each store is compared with it.
    if (config.workloads().contains(PeerWorkload.ID)) runPeer(report);
    for (String store : config.stores()) {
      for (String id : config.workloads()) {
        if (id.equals(PeerWorkload.ID)) continue;
        Workload workload = Workload.named(id);
        progress.printf("%s on %s …%n", id, store);
        long start = System.nanoTime();
        try {
          List<Figure> figures = runOnFreshServer(workload, store);
          figures.forEach(report::add);
          // Now, not only at the end: a long run's finished workloads are readable while it goes
          // on.
          progress.printf(
              Locale.ROOT,
              "%s on %s done in %.1fs%n%s",
              id,
              store,
              (System.nanoTime() - start) / 1e9,
              ReportTable.render(figures));
        } catch (Exception e) {
          report.addError(id, store, e.getMessage());
          progress.printf("%s on %s FAILED: %s%n", id, store, e.getMessage());
        }
      }
    }
    return report;
  }

  private void runPeer(Report report) {
    progress.printf("%s (BullMQ on Redis at %s) …%n", PeerWorkload.ID, config.redis());
    long start = System.nanoTime();
    try {
      PeerWorkload.Result result = PeerWorkload.run(this);
      result.figures().forEach(report::add);
      peer = result.passes();
      progress.printf(
          Locale.ROOT,
          "%s done in %.1fs%n%s",
          PeerWorkload.ID,
          (System.nanoTime() - start) / 1e9,
          ReportTable.render(result.figures()));
    } catch (Exception e) {
      report.addError(PeerWorkload.ID, PeerWorkload.STORE, e.getMessage());
      progress.printf("%s FAILED: %s%n", PeerWorkload.ID, e.getMessage());
    }
  }

  private List<Figure> runOnFreshServer(Workload workload, String store) throws Exception {
    try (ServerUnderTest server = ServerUnderTest.start(config, store, client)) {
      try {
        warmUp(server);
        return workload.run(this, server);
      } catch (Exception e) {
        throw new IllegalStateException(e.getMessage() + "\n" + server.keepLog(), e);
      }
    }
  }

  /**
   * Untimed work before anything is measured, so the JIT has compiled both paths: tasks an hour
   * away (the create path), then as many that run at once (claim, call, finish), waited out.
   */
  private void warmUp(ServerUnderTest server) throws InterruptedException {
    URI create = server.uri("/v1/tasks");
    ClosedLoop.run(
            config.warmup(),
            config.concurrency(),
            i -> client.post(create, TaskBodies.scheduled(sink.fastUrl(), i)))
        .requireNoFailures("warm-up");
    String runNow = TaskBodies.now(sink.fastUrl(), "{\"warmup\":true}");
    ClosedLoop.run(config.warmup(), config.concurrency(), i -> client.post(create, runNow))
        .requireNoFailures("warm-up");
    new TaskListProbe(server, client).awaitDone(() -> true, Duration.ofMinutes(2), "warm-up");
  }

  /**
   * Requests/s of this client straight to the sink: the median of three rounds of {@code tasks}
   * requests after a warm-up, since a single short round on a shared machine is noisy. Also the
   * bench's CPU a call over the three rounds: the client's and the sink's side of one bare call.
   */
  private void measureRawRate() throws InterruptedException {
    URI fast = URI.create(sink.fastUrl());
    String body = TaskBodies.now(sink.fastUrl(), "{\"n\":1}");
    sink.reset(Integer.MAX_VALUE);
    ClosedLoop.run(config.warmup(), config.concurrency(), i -> client.post(fast, body))
        .requireNoFailures("baseline warm-up");
    double[] rounds = new double[3];
    CpuMeter cpu = CpuMeter.start(Map.of("bench", () -> List.of(ProcessHandle.current().pid())));
    for (int r = 0; r < rounds.length; r++) {
      rounds[r] =
          ClosedLoop.run(config.tasks(), config.concurrency(), i -> client.post(fast, body))
              .requireNoFailures("baseline")
              .perSecond();
    }
    CpuSpent spent = cpu.stop();
    if (!spent.isEmpty())
      bareCallCpuMillis = CpuSpent.millisPerTask(spent.total(), rounds.length * config.tasks());
    Arrays.sort(rounds);
    rawRequestsPerSecond = rounds[1];
  }

  /**
   * W3's baseline: the same open loop straight to the sink; measured once a run, before any server
   * starts.
   */
  DirectPath directPath() throws InterruptedException {
    if (directPath == null) {
      URI fast = URI.create(sink.fastUrl());
      SinkCounters counters = sink.reset(Integer.MAX_VALUE);
      OpenLoop.Result sent =
          OpenLoop.run(
                  config.rate(),
                  config.duration(),
                  Duration.ofMinutes(1),
                  intended -> client.post(fast, TaskBodies.intendedAt(intended)))
              .requireNoFailures("W3 baseline");
      if (counters.fastCalls() < sent.sent())
        throw new IllegalStateException("W3 baseline: the sink missed calls");
      directPath = new DirectPath(counters.drainLatencies(), sent.answerMicros());
    }
    return directPath;
  }

  BenchConfig config() {
    return config;
  }

  LoadClient client() {
    return client;
  }

  Sink sink() {
    return sink;
  }

  double rawRequestsPerSecond() {
    return rawRequestsPerSecond;
  }

  /**
   * The bench JVM's CPU milliseconds a call during the baseline (client and sink); NaN without
   * {@code /proc}.
   */
  double bareCallCpuMillis() {
    return bareCallCpuMillis;
  }

  /** W2's passes against the BullMQ peer, when this run measured it. */
  Optional<W2EndToEnd.Passes> peer() {
    return Optional.ofNullable(peer);
  }

  PrintStream progress() {
    return progress;
  }

  @Override
  public void close() {
    try {
      client.close();
    } finally {
      sink.close();
    }
  }
}
