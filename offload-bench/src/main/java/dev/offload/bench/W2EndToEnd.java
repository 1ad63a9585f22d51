package dev.offload.bench;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntFunction;

/**
 * W2: {@code tasks} tasks calling the sink's fast endpoint; tasks/s from the first create until the
 * sink has seen every task and the server has none left unfinished. Measured twice: created one a
 * request by {@code concurrency} producers, then {@code batchSize} a request, because the second
 * shows what dispatch alone sustains once intake is cheap. Each pass also reports the CPU per task
 * of the server (and, on PostgreSQL, of its backends), and when the run measured the BullMQ peer,
 * both rates and the CPU per task against the peer's.
 */
final class W2EndToEnd implements Workload {
  @Override
  public String id() {
    return "w2";
  }

  @Override
  public List<Figure> run(BenchRun run, ServerUnderTest server) throws InterruptedException {
    int tasks = tasks(run.config());
    Passes passes = passes(run, new TaskListProbe(server, run.client()), tasks);
    String store = server.storeName();
    List<Figure> figures = figures(id(), store, run, passes, tasks);
    run.peer()
        .ifPresent(
            peer -> {
              figures.addAll(
                  againstPeer(store, "1 a request", passes.single(), peer.single(), tasks));
              figures.addAll(
                  againstPeer(
                      store,
                      run.config().batchSize() + " a request",
                      passes.batched(),
                      peer.batched(),
                      tasks));
            });
    return figures;
  }

  /** W2's tasks a pass: whole batches. */
  static int tasks(BenchConfig config) {
    return config.tasks() / config.batchSize() * config.batchSize();
  }

  /**
   * Both passes' rates against this client's raw rate, and their CPU per task against a bare
   * call's.
   */
  static List<Figure> figures(
      String workload, String store, BenchRun run, Passes passes, int tasks) {
    double raw = run.rawRequestsPerSecond();
    int size = run.config().batchSize();
    List<Figure> figures = new ArrayList<>();
    figures.add(
        Figure.of(
                workload,
                store,
                String.format(Locale.ROOT, "end to end, %,d tasks, 1 a request", tasks),
                "tasks/s",
                passes.single().tasksPerSecond())
            .against(raw, "req/s"));
    figures.add(
        Figure.of(
                workload,
                store,
                "enqueue while dispatching",
                "tasks/s",
                passes.single().creates().perSecond())
            .against(raw, "req/s"));
    figures.add(
        Figure.of(
                workload,
                store,
                String.format(Locale.ROOT, "end to end, %,d tasks, %d a request", tasks, size),
                "tasks/s",
                passes.batched().tasksPerSecond())
            .against(raw, "req/s"));
    figures.add(
        Figure.of(
            workload,
            store,
            "calls beyond one a task",
            "calls",
            (double) (passes.single().extraCalls() + passes.batched().extraCalls())));
    figures.addAll(
        CpuFigures.perTask(
            workload, store, "1 a request", passes.single().cpu(), tasks, run.bareCallCpuMillis()));
    figures.addAll(
        CpuFigures.perTask(
            workload,
            store,
            size + " a request",
            passes.batched().cpu(),
            tasks,
            run.bareCallCpuMillis()));
    return figures;
  }

  /**
   * A pass's rate and CPU per task against the same pass of the BullMQ peer, measured earlier in
   * this run: the server's CPU (with its PostgreSQL backends') against the producer's, the worker's
   * and redis-server's together.
   */
  private List<Figure> againstPeer(String store, String what, Pass offload, Pass peer, int tasks) {
    List<Figure> figures = new ArrayList<>();
    figures.add(
        Figure.of(
                id(),
                store,
                "end to end, " + what + ", against BullMQ",
                "tasks/s",
                offload.tasksPerSecond())
            .against(peer.tasksPerSecond(), "tasks/s BullMQ"));
    if (!offload.cpu().isEmpty() && !peer.cpu().isEmpty()) {
      figures.add(
          Figure.of(
                  id(),
                  store,
                  offload.cpu().groups() + " CPU per task, " + what + ", against BullMQ",
                  "ms",
                  CpuSpent.millisPerTask(offload.cpu().total(), tasks))
              .against(CpuSpent.millisPerTask(peer.cpu().total(), tasks), "ms BullMQ"));
    }
    return figures;
  }

  /**
   * @param cpu what the system's processes spent from the first create until done
   */
  record Pass(ClosedLoop.Result creates, double tasksPerSecond, long extraCalls, CpuSpent cpu) {}

  record Passes(Pass single, Pass batched) {}

  /** W2's two passes of {@code tasks} tasks each against {@code system}. */
  static Passes passes(BenchRun run, TaskSystem system, int tasks) throws InterruptedException {
    String callback = run.sink().fastUrl();
    String payload = "{\"n\":1}";
    int size = run.config().batchSize();
    URI create = system.uri("/v1/tasks");
    Pass single =
        pass(
            run,
            system,
            tasks,
            tasks,
            i -> run.client().post(create, TaskBodies.now(callback, payload)));
    URI batch = system.uri("/v1/tasks/batch");
    Pass batched =
        pass(
            run,
            system,
            tasks,
            tasks / size,
            i -> run.client().post(batch, TaskBodies.nowBatch(callback, payload, size)));
    return new Passes(single, batched);
  }

  /**
   * One pass: tasks/s from the first create until the sink has seen every task and {@code system}
   * has none unfinished.
   */
  static Pass pass(
      BenchRun run,
      TaskSystem system,
      int tasks,
      int requests,
      IntFunction<CompletableFuture<LoadClient.Reply>> send)
      throws InterruptedException {
    SinkCounters sink = run.sink().reset(Integer.MAX_VALUE);
    CpuMeter cpu = CpuMeter.start(system.processes());
    ClosedLoop.Result creates =
        ClosedLoop.run(requests, run.config().concurrency(), send).requireNoFailures("creates");
    // Generous: at 10 tasks/s the default 20,000 would still finish.
    Duration within = Duration.ofSeconds(60 + tasks / 10);
    long done = system.awaitDone(() -> sink.distinctTasks() >= tasks, within, "end to end");
    CpuSpent spent = cpu.stop();
    double seconds = (done - creates.startNanos()) / 1e9;
    return new Pass(creates, tasks / seconds, sink.fastCalls() - tasks, spent);
  }
}
