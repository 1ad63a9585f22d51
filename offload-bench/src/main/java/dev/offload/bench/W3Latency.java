package dev.offload.bench;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.HdrHistogram.Histogram;

/**
 * W3: an open-loop producer at {@code rate} tasks/s for {@code duration}; latency from each task's
 * intended send time to the sink receiving it (see {@link OpenLoop} for why the intended time). The
 * baseline is the same open loop straight to the sink. Also the CPU per task from the first send
 * until every task is done.
 */
final class W3Latency implements Workload {
  /**
   * Past this, the producer itself fell behind its schedule and the machine, not the server, was
   * the limit.
   */
  private static final long SEND_LAG_WARNING_NANOS = 50_000_000;

  @Override
  public String id() {
    return "w3";
  }

  @Override
  public List<Figure> run(BenchRun run, ServerUnderTest server) throws InterruptedException {
    BenchConfig config = run.config();
    BenchRun.DirectPath direct = run.directPath();
    SinkCounters sink = run.sink().reset(Integer.MAX_VALUE);
    URI create = server.uri("/v1/tasks");
    String callback = run.sink().fastUrl();

    CpuMeter cpu = CpuMeter.start(server.processes());
    OpenLoop.Result sent =
        OpenLoop.run(
                config.rate(),
                config.duration(),
                Duration.ofMinutes(2),
                intended ->
                    run.client()
                        .post(create, TaskBodies.now(callback, TaskBodies.intendedAt(intended))))
            .requireNoFailures("W3 creates");
    if (sent.maxSendLagNanos() > SEND_LAG_WARNING_NANOS) {
      run.progress()
          .printf(
              Locale.ROOT,
              "w3: warning: the producer fell up to %.0f ms behind its schedule%n",
              sent.maxSendLagNanos() / 1e6);
    }
    new TaskListProbe(server, run.client())
        .awaitDone(() -> sink.distinctTasks() >= sent.sent(), Duration.ofMinutes(3), "W3");
    CpuSpent spent = cpu.stop();
    Histogram received = sink.drainLatencies();

    String store = server.storeName();
    String load = ", " + config.rate() + "/s open loop";
    List<Figure> figures = new ArrayList<>();
    figures.add(percentile(store, "enqueue→target p50" + load, received, direct.received(), 50));
    figures.add(percentile(store, "enqueue→target p99" + load, received, direct.received(), 99));
    figures.add(percentile(store, "enqueue→target max" + load, received, direct.received(), 100));
    // The create's own answer, to tell intake stalls from dispatch delay.
    figures.add(percentile(store, "enqueue→202 p50", sent.answerMicros(), direct.answered(), 50));
    figures.add(percentile(store, "enqueue→202 p99", sent.answerMicros(), direct.answered(), 99));
    figures.addAll(
        CpuFigures.perTask(
            id(),
            store,
            config.rate() + "/s open loop",
            spent,
            sent.sent(),
            run.bareCallCpuMillis()));
    return figures;
  }

  private Figure percentile(
      String store, String name, Histogram measured, Histogram baseline, double percentile) {
    return Figure.of(id(), store, name, "ms", millis(measured.getValueAtPercentile(percentile)))
        .against(millis(baseline.getValueAtPercentile(percentile)), "ms");
  }

  private static double millis(long micros) {
    return micros / 1000.0;
  }
}
