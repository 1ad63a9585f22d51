package dev.offload.bench;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * W2: {@code tasks} tasks created one a request by {@code concurrency} producers, each calling
 * the sink's fast endpoint; tasks/s from the first create until the sink has seen every task and
 * the server has none left unfinished.
 */
final class W2EndToEnd implements Workload {
  @Override
  public String id() {
    return "w2";
  }

  @Override
  public List<Figure> run(BenchRun run, ServerUnderTest server) throws InterruptedException {
    BenchConfig config = run.config();
    int tasks = config.tasks();
    SinkCounters sink = run.sink().reset(Integer.MAX_VALUE);
    URI create = server.uri("/v1/tasks");
    String body = TaskBodies.now(run.sink().fastUrl(), "{\"n\":1}");

    ClosedLoop.Result creates = ClosedLoop.run(tasks, config.concurrency(), i -> run.client().post(create, body))
        .requireNoFailures("W2 creates");
    // Generous: at 50 tasks/s the default 20,000 would still finish.
    Duration within = Duration.ofSeconds(60 + tasks / 50);
    long done = new TaskListProbe(server, run.client()).awaitDone(() -> sink.distinctTasks() >= tasks, within, "W2");

    double seconds = (done - creates.startNanos()) / 1e9;
    String store = server.storeName();
    double raw = run.rawRequestsPerSecond();
    return List.of(
        Figure.of(id(), store, String.format(Locale.ROOT, "end to end, %,d tasks", tasks), "tasks/s", tasks / seconds).against(raw, "req/s"),
        Figure.of(id(), store, "enqueue while dispatching", "tasks/s", creates.perSecond()).against(raw, "req/s"),
        Figure.of(id(), store, "calls beyond one a task", "calls", (double) (sink.fastCalls() - tasks)));
  }
}
