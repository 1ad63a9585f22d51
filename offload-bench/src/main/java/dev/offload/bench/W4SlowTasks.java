package dev.offload.bench;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * W4: {@code slowTasks} tasks whose target holds each call for {@code hold}. Measures the time from
 * the first create until the sink holds them all at once, the server's peak RSS and threads
 * (sampled from /proc every 200 ms), the time until all have completed, and the CPU per task until
 * then.
 */
final class W4SlowTasks implements Workload {
  private static final Duration SAMPLE_EVERY = Duration.ofMillis(200);

  @Override
  public String id() {
    return "w4";
  }

  @Override
  public List<Figure> run(BenchRun run, ServerUnderTest server) throws Exception {
    BenchConfig config = run.config();
    int tasks = config.slowTasks();
    long pid = server.process().pid();
    Optional<ProcStatus> idle = ProcStatus.read(pid);
    SinkCounters sink = run.sink().reset(tasks);
    URI create = server.uri("/v1/tasks");
    String callback = run.sink().holdUrl(config.hold());
    TaskListProbe probe = new TaskListProbe(server, run.client());

    ClosedLoop.Result creates;
    long done;
    Optional<ProcStatus> peak;
    CpuSpent spent;
    try (ProcSampler sampler = new ProcSampler(pid, SAMPLE_EVERY)) {
      CpuMeter cpu = CpuMeter.start(server.processes());
      creates =
          ClosedLoop.run(
                  tasks,
                  config.concurrency(),
                  i ->
                      run.client()
                          .post(create, TaskBodies.slow(callback, i, config.slowTaskTimeout())))
              .requireNoFailures("W4 creates");
      Duration within = config.slowTaskTimeout().multipliedBy(2).plusMinutes(5);
      done = probe.awaitDone(() -> sink.heldToEnd() >= tasks, within, "W4");
      spent = cpu.stop();
      peak = sampler.peak();
    }

    String store = server.storeName();
    long start = creates.startNanos();
    // What this client needs just to send that many requests: the floor for any ramp.
    double sendSeconds = tasks / run.rawRequestsPerSecond();
    long allInFlight = sink.allInFlightAtNanos();
    List<Figure> figures = new ArrayList<>();
    Double untilAllInFlight = allInFlight == 0 ? null : (allInFlight - start) / 1e9;
    figures.add(
        Figure.of(
                id(),
                store,
                String.format(Locale.ROOT, "until all %,d in flight", tasks),
                "s",
                untilAllInFlight)
            .against(sendSeconds, "s to send"));
    figures.add(
        Figure.of(id(), store, "peak calls in flight", "calls", (double) sink.peakInFlight())
            .against(tasks, "tasks"));
    if (allInFlight == 0 && sink.peakReachedAtNanos() != 0) {
      // Some limit held calls back: how fast the server got to that limit is the ramp figure then.
      figures.add(
          Figure.of(
                  id(),
                  store,
                  String.format(Locale.ROOT, "until the peak (%,d) in flight", sink.peakInFlight()),
                  "s",
                  (sink.peakReachedAtNanos() - start) / 1e9)
              .against(sendSeconds, "s to send"));
    }
    figures.add(
        Figure.of(id(), store, "until all completed", "s", (done - start) / 1e9)
            .against(config.hold().toMillis() / 1000.0 + sendSeconds, "s hold+send"));
    figures.addAll(
        CpuFigures.perTask(id(), store, "slow tasks", spent, tasks, run.bareCallCpuMillis()));
    if (idle.isPresent() && peak.isPresent()) {
      figures.add(
          Figure.of(id(), store, "server peak RSS", "MiB", peak.get().peakRssMiB())
              .against(idle.get().rssMiB(), "MiB idle"));
      figures.add(
          Figure.of(id(), store, "server peak threads", "threads", (double) peak.get().threads())
              .against(idle.get().threads(), "idle"));
    }
    return figures;
  }
}
