package dev.offload.bench;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntFunction;

/**
 * W2: {@code tasks} tasks calling the sink's fast endpoint; tasks/s from the first create until
 * the sink has seen every task and the server has none left unfinished. Measured twice: created
 * one a request by {@code concurrency} producers, then {@code batchSize} a request, because the
 * second shows what dispatch alone sustains once intake is cheap.
 */
final class W2EndToEnd implements Workload {
  @Override
  public String id() {
    return "w2";
  }

  @Override
  public List<Figure> run(BenchRun run, ServerUnderTest server) throws InterruptedException {
    int size = run.config().batchSize();
    int tasks = run.config().tasks() / size * size;

    Passes passes = passes(run, server, new TaskListProbe(server, run.client()), tasks);

    String store = server.storeName();
    double raw = run.rawRequestsPerSecond();
    List<Figure> figures = new ArrayList<>();
    figures.add(Figure.of(id(), store, String.format(Locale.ROOT, "end to end, %,d tasks, 1 a request", tasks), "tasks/s",
        passes.single().tasksPerSecond()).against(raw, "req/s"));
    figures.add(Figure.of(id(), store, "enqueue while dispatching", "tasks/s", passes.single().creates().perSecond()).against(raw, "req/s"));
    figures.add(Figure.of(id(), store, String.format(Locale.ROOT, "end to end, %,d tasks, %d a request", tasks, size),
        "tasks/s", passes.batched().tasksPerSecond()).against(raw, "req/s"));
    figures.add(Figure.of(id(), store, "calls beyond one a task", "calls", (double) (passes.single().extraCalls() + passes.batched().extraCalls())));
    return figures;
  }

  record Pass(ClosedLoop.Result creates, double tasksPerSecond, long extraCalls) {}

  record Passes(Pass single, Pass batched) {}

  /** W2's two passes of {@code tasks} tasks each, {@code probe} telling when the server has finished them. */
  static Passes passes(BenchRun run, ServerUnderTest server, TaskListProbe probe, int tasks) throws InterruptedException {
    String callback = run.sink().fastUrl();
    String payload = "{\"n\":1}";
    int size = run.config().batchSize();
    URI create = server.uri("/v1/tasks");
    Pass single = pass(run, probe, tasks, tasks, i -> run.client().post(create, TaskBodies.now(callback, payload)));
    URI batch = server.uri("/v1/tasks/batch");
    Pass batched = pass(run, probe, tasks, tasks / size, i -> run.client().post(batch, TaskBodies.nowBatch(callback, payload, size)));
    return new Passes(single, batched);
  }

  /** One pass: tasks/s from the first create until the sink has seen every task and {@code probe} finds none unfinished. */
  static Pass pass(BenchRun run, TaskListProbe probe, int tasks, int requests,
      IntFunction<CompletableFuture<LoadClient.Reply>> send) throws InterruptedException {
    SinkCounters sink = run.sink().reset(Integer.MAX_VALUE);
    ClosedLoop.Result creates = ClosedLoop.run(requests, run.config().concurrency(), send).requireNoFailures("creates");
    // Generous: at 10 tasks/s the default 20,000 would still finish.
    Duration within = Duration.ofSeconds(60 + tasks / 10);
    long done = probe.awaitDone(() -> sink.distinctTasks() >= tasks, within, "end to end");
    double seconds = (done - creates.startNanos()) / 1e9;
    return new Pass(creates, tasks / seconds, sink.fastCalls() - tasks);
  }
}
