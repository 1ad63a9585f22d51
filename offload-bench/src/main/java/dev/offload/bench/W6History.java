package dev.offload.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * W6: W2 and the read endpoints on a store that already holds {@code finished} finished tasks
 * (created over the last three days, each with its attempt, written straight into the tables and
 * then analyzed on PostgreSQL, as autovacuum leaves a store that has held them a while), against
 * the same on the empty store, measured first by the same server.
 */
final class W6History implements Workload {
  /** W2's queue; the loaded history puts half its tasks there and its failures elsewhere. */
  private static final String QUEUE = "default";

  @Override
  public String id() {
    return "w6";
  }

  @Override
  public List<Figure> run(BenchRun run, ServerUnderTest server) throws Exception {
    BenchConfig config = run.config();
    int size = config.batchSize();
    int tasks = config.tasks() / size * size;
    TaskListProbe probe = new TaskListProbe(server, run.client(), QUEUE);
    ReadProbe reads = new ReadProbe(server, run.client(), QUEUE, "succeeded");

    W2EndToEnd.Passes empty = W2EndToEnd.passes(run, probe, tasks);
    Map<String, double[]> emptyReads = reads.latencies();

    BulkLoad load = new BulkLoad(server.store(), run.progress());
    Instant now = Instant.now();
    load.finishedTasks(
        run.sink().fastUrl(),
        config.finished(),
        now.minus(Duration.ofDays(3)),
        now.minusSeconds(60));
    load.analyze();
    Map<String, double[]> loadedReads = reads.latencies();
    W2EndToEnd.Passes loaded = W2EndToEnd.passes(run, probe, tasks);

    String store = server.storeName();
    String history = String.format(Locale.ROOT, "%,d finished", config.finished());
    List<Figure> figures = new ArrayList<>();
    figures.add(
        Figure.of(
                id(),
                store,
                String.format(
                    Locale.ROOT, "W2 end to end, %,d tasks, 1 a request, %s", tasks, history),
                "tasks/s",
                loaded.single().tasksPerSecond())
            .against(empty.single().tasksPerSecond(), "tasks/s empty"));
    figures.add(
        Figure.of(
                id(),
                store,
                String.format(
                    Locale.ROOT,
                    "W2 end to end, %,d tasks, %d a request, %s",
                    tasks,
                    size,
                    history),
                "tasks/s",
                loaded.batched().tasksPerSecond())
            .against(empty.batched().tasksPerSecond(), "tasks/s empty"));
    figures.addAll(
        CpuFigures.perTaskAgainst(
            id(),
            store,
            "W2 1 a request, " + history,
            loaded.single().cpu(),
            tasks,
            empty.single().cpu(),
            tasks,
            "ms empty"));
    figures.addAll(ReadProbe.figures(id(), store, history, loadedReads, emptyReads, "ms empty"));
    return figures;
  }
}
