package dev.offload.bench;

import java.io.IOException;
import java.net.URI;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * The soak: an open loop at {@code soakRate} tasks/s for {@code soakDuration}, with the database's
 * size and the server's resident memory sampled at the start and at minutes 5, 15 and 30 of a
 * 30-minute run (the same fractions of a shorter one). With finished tasks purged after a minute
 * ({@code --server-arg=--retain-succeeded=1m}) both must level off: each sample is compared with
 * the one before it.
 */
final class Soak implements Workload {
  /** Where the samples fall, in thirtieths of the duration: minutes 5, 15 and 30 of 30. */
  private static final int[] CHECKPOINTS = {5, 15, 30};

  private record Sample(Duration at, double databaseMiB, double rssMiB) {}

  @Override
  public String id() {
    return "soak";
  }

  @Override
  public List<Figure> run(BenchRun run, ServerUnderTest server) throws Exception {
    BenchConfig config = run.config();
    Duration duration = config.soakDuration();
    SinkCounters sink = run.sink().reset(Integer.MAX_VALUE);
    URI create = server.uri("/v1/tasks");
    String callback = run.sink().fastUrl();

    List<Sample> samples = new ArrayList<>();
    samples.add(sample(server, Duration.ZERO));
    ScheduledExecutorService sampler =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("bench-soak-sampler").factory());
    OpenLoop.Result sent;
    CpuMeter cpu = CpuMeter.start(server.processes());
    try {
      List<ScheduledFuture<Sample>> scheduled = new ArrayList<>();
      for (int checkpoint : CHECKPOINTS) {
        Duration at = duration.multipliedBy(checkpoint).dividedBy(30);
        scheduled.add(
            sampler.schedule(() -> sample(server, at), at.toNanos(), TimeUnit.NANOSECONDS));
      }
      sent =
          OpenLoop.run(
                  config.soakRate(),
                  duration,
                  Duration.ofMinutes(2),
                  intended ->
                      run.client()
                          .post(create, TaskBodies.now(callback, TaskBodies.intendedAt(intended))))
              .requireNoFailures("soak creates");
      for (ScheduledFuture<Sample> future : scheduled) samples.add(awaitSample(future));
    } finally {
      sampler.shutdownNow();
    }
    new TaskListProbe(server, run.client())
        .awaitDone(() -> sink.distinctTasks() >= sent.sent(), Duration.ofMinutes(5), "soak");
    CpuSpent spent = cpu.stop();
    Histogram latency = sink.drainLatencies();

    String store = server.storeName();
    String load = String.format(Locale.ROOT, ", %d/s for %s", config.soakRate(), label(duration));
    List<Figure> figures = new ArrayList<>();
    figures.add(
        Figure.of(
            id(),
            store,
            "enqueue→target p99" + load,
            "ms",
            latency.getValueAtPercentile(99) / 1000.0));
    figures.add(
        Figure.of(id(), store, "enqueue→target max" + load, "ms", latency.getMaxValue() / 1000.0));
    figures.addAll(
        CpuFigures.perTask(
            id(), store, load.substring(2), spent, sent.sent(), run.bareCallCpuMillis()));
    for (int i = 1; i < samples.size(); i++) {
      Sample now = samples.get(i);
      Sample before = samples.get(i - 1);
      String since = " at " + label(before.at());
      figures.add(
          Figure.of(id(), store, "database size at " + label(now.at()), "MiB", now.databaseMiB())
              .against(before.databaseMiB(), "MiB" + since));
      figures.add(
          Figure.of(id(), store, "server RSS at " + label(now.at()), "MiB", now.rssMiB())
              .against(before.rssMiB(), "MiB" + since));
    }
    return figures;
  }

  private static Sample sample(ServerUnderTest server, Duration at)
      throws IOException, SQLException {
    double rssMiB =
        ProcStatus.read(server.process().pid()).map(ProcStatus::rssMiB).orElse(Double.NaN);
    return new Sample(at, server.store().sizeBytes() / (1024.0 * 1024.0), rssMiB);
  }

  private static Sample awaitSample(ScheduledFuture<Sample> future) throws InterruptedException {
    try {
      return future.get();
    } catch (ExecutionException e) {
      throw new IllegalStateException(
          "soak: sampling the store and the server failed: " + e.getCause(), e.getCause());
    }
  }

  /**
   * {@code 5m} for whole minutes, else as the API writes durations ({@code 12s}, {@code 1500ms}).
   */
  private static String label(Duration at) {
    if (at.isZero()) return "start";
    return at.toMillis() % 60_000 == 0 ? at.toMinutes() + "m" : DurationText.format(at);
  }
}
