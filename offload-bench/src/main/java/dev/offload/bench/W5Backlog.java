package dev.offload.bench;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * W5: claims and reads with a big backlog. On the empty store first: {@code flowTasks} tasks
 * through the queue {@code other} (their end-to-end rate), the same number drained from the queue
 * {@code backlog} after it was paused (the drain rate of a small backlog), and every read
 * endpoint's p99. Then {@code backlog} ready tasks due over the last hour are written into the
 * paused queue and {@code finished} finished tasks over the last three days, straight into the
 * tables, with the planner's statistics left as they were (no ANALYZE, autovacuum off). Measured
 * again: the reads; {@code flowTasks} through {@code other} past the paused backlog that is due
 * earlier (head of line); the drain rate over {@code drainWindow} after the queue is resumed; and
 * the reads while it drains.
 */
final class W5Backlog implements Workload {
  static final String BACKLOG = "backlog";
  static final String OTHER = "other";
  private static final Duration SMALL_DRAIN_WITHIN = Duration.ofMinutes(10);

  @Override
  public String id() {
    return "w5";
  }

  @Override
  public List<Figure> run(BenchRun run, ServerUnderTest server) throws Exception {
    BenchConfig config = run.config();
    int flow = config.flowTasks();
    ReadProbe reads = new ReadProbe(server, run.client(), BACKLOG, "queued");

    double emptyFlow = flowRate(run, server, flow);
    setPaused(run, server, true);
    create(run, server, BACKLOG, flow);
    double smallDrain = drainRate(run, server, flow, SMALL_DRAIN_WITHIN);
    new TaskListProbe(server, run.client(), BACKLOG)
        .awaitDone(() -> true, SMALL_DRAIN_WITHIN, "W5 small backlog");
    setPaused(run, server, true);
    Map<String, double[]> emptyReads = reads.latencies();

    BulkLoad load = new BulkLoad(server.store(), run.progress());
    load.keepStatisticsStale();
    Instant now = Instant.now();
    load.finishedTasks(
        run.sink().fastUrl(),
        config.finished(),
        now.minus(Duration.ofDays(3)),
        now.minusSeconds(60));
    load.readyTasks(
        BACKLOG,
        run.sink().fastUrl(),
        config.backlog(),
        now.minus(Duration.ofHours(1)),
        now.minusSeconds(60));
    Map<String, double[]> pausedReads = reads.latencies();
    double backlogFlow = flowRate(run, server, flow);
    double bigDrain = drainRate(run, server, config.backlog(), config.drainWindow());
    SinkCounters draining = run.sink().counters();
    Map<String, double[]> drainingReads = reads.latencies();
    run.progress()
        .printf(
            Locale.ROOT,
            "w5: %,d backlog tasks reached the sink by the end of the reads while draining%n",
            draining.distinctTasks());

    String store = server.storeName();
    String backlog = String.format(Locale.ROOT, "%,d", config.backlog());
    String finished = String.format(Locale.ROOT, "%,d", config.finished());
    List<Figure> figures = new ArrayList<>();
    figures.add(
        Figure.of(
                id(),
                store,
                String.format(
                    Locale.ROOT, "%,d tasks through another queue, %s paused ahead", flow, backlog),
                "tasks/s",
                backlogFlow)
            .against(emptyFlow, "tasks/s on the empty store"));
    figures.add(
        Figure.of(
                id(),
                store,
                String.format(
                    Locale.ROOT,
                    "drain of %s backlog, first %s",
                    backlog,
                    DurationText.format(config.drainWindow())),
                "tasks/s",
                bigDrain)
            .against(smallDrain, String.format(Locale.ROOT, "tasks/s of %,d", flow)));
    figures.addAll(
        ReadProbe.figures(
            id(),
            store,
            backlog + " paused, " + finished + " finished",
            pausedReads,
            emptyReads,
            "ms empty"));
    figures.addAll(
        ReadProbe.figures(
            id(), store, backlog + " draining", drainingReads, emptyReads, "ms empty"));
    return figures;
  }

  /** {@code tasks} tasks in batches through {@link #OTHER}, end to end: tasks/s. */
  private static double flowRate(BenchRun run, ServerUnderTest server, int tasks)
      throws InterruptedException {
    int size = Math.min(run.config().batchSize(), tasks);
    URI batch = server.uri("/v1/tasks/batch");
    String callback = run.sink().fastUrl();
    TaskListProbe probe = new TaskListProbe(server, run.client(), OTHER);
    return W2EndToEnd.pass(
            run,
            probe,
            tasks / size * size,
            tasks / size,
            i ->
                run.client().post(batch, TaskBodies.nowBatchIn(OTHER, callback, "{\"n\":1}", size)))
        .tasksPerSecond();
  }

  private static void create(BenchRun run, ServerUnderTest server, String queue, int tasks)
      throws InterruptedException {
    int size = Math.min(run.config().batchSize(), tasks);
    URI batch = server.uri("/v1/tasks/batch");
    String body = TaskBodies.nowBatchIn(queue, run.sink().fastUrl(), "{\"n\":1}", size);
    ClosedLoop.run(tasks / size, run.config().concurrency(), i -> run.client().post(batch, body))
        .requireNoFailures("W5 creates");
  }

  /**
   * Resumes {@link #BACKLOG} and counts the tasks reaching the sink until {@code expected} have or
   * {@code window} has passed: tasks/s from the resume.
   */
  private static double drainRate(
      BenchRun run, ServerUnderTest server, int expected, Duration window)
      throws InterruptedException {
    SinkCounters sink = run.sink().reset(Integer.MAX_VALUE);
    long start = System.nanoTime();
    setPaused(run, server, false);
    long end =
        new TaskListProbe(server, run.client())
            .waitFor(
                () ->
                    sink.distinctTasks() >= expected
                        || System.nanoTime() - start >= window.toNanos(),
                2,
                start + window.toNanos() + 1_000_000_000L,
                "W5 drain");
    return sink.distinctTasks() / ((end - start) / 1e9);
  }

  private static void setPaused(BenchRun run, ServerUnderTest server, boolean paused)
      throws InterruptedException {
    LoadClient.Reply reply =
        run.client().putNow(server.uri("/v1/queues/" + BACKLOG), "{\"paused\":" + paused + "}");
    if (!reply.ok())
      throw new IllegalStateException("PUT /v1/queues/" + BACKLOG + ": " + reply.describe());
  }
}
