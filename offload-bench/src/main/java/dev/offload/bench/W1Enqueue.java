package dev.offload.bench;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * W1: tasks/s accepted over HTTP, one task a request and then {@code batchSize} a request, with
 * {@code concurrency} requests in flight. The tasks are an hour away, so the dispatcher stays idle
 * and the figure is intake alone (W2 measures intake and dispatch together); so is the CPU per task
 * reported for each.
 */
final class W1Enqueue implements Workload {
  @Override
  public String id() {
    return "w1";
  }

  @Override
  public List<Figure> run(BenchRun run, ServerUnderTest server) throws InterruptedException {
    BenchConfig config = run.config();
    LoadClient client = run.client();
    String callback = run.sink().fastUrl();

    URI create = server.uri("/v1/tasks");
    CpuMeter singleCpu = CpuMeter.start(server.processes());
    ClosedLoop.Result single =
        ClosedLoop.run(
                config.tasks(),
                config.concurrency(),
                i -> client.post(create, TaskBodies.scheduled(callback, i)))
            .requireNoFailures("W1 single creates");
    CpuSpent singleSpent = singleCpu.stop();

    URI batch = server.uri("/v1/tasks/batch");
    int size = config.batchSize();
    int requests = Math.max(1, config.tasks() / size);
    CpuMeter batchCpu = CpuMeter.start(server.processes());
    ClosedLoop.Result batches =
        ClosedLoop.run(
                requests,
                config.concurrency(),
                i -> client.post(batch, TaskBodies.scheduledBatch(callback, i * size, size)))
            .requireNoFailures("W1 batch creates");
    CpuSpent batchSpent = batchCpu.stop();

    double raw = run.rawRequestsPerSecond();
    String store = server.storeName();
    List<Figure> figures = new ArrayList<>();
    figures.add(
        Figure.of(id(), store, "enqueue, 1 task a request", "tasks/s", single.perSecond())
            .against(raw, "req/s"));
    figures.add(
        Figure.of(
                id(),
                store,
                "enqueue, " + size + " tasks a batch",
                "tasks/s",
                (double) requests * size / batches.seconds())
            .against(raw, "req/s"));
    figures.addAll(
        CpuFigures.perTask(
            id(),
            store,
            "enqueue 1 a request",
            singleSpent,
            config.tasks(),
            run.bareCallCpuMillis()));
    figures.addAll(
        CpuFigures.perTask(
            id(),
            store,
            "enqueue " + size + " a batch",
            batchSpent,
            requests * size,
            run.bareCallCpuMillis()));
    return figures;
  }
}
