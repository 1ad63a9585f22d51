package dev.offload.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Purge: W2 while the server's purger deletes {@code backlog} finished tasks whose retention has
 * passed (written straight into the tables while the server is stopped, then the server started
 * again on them, as after its retention was shortened or it was down for a while), against W2 on
 * the same store before they were loaded. Also the purge's own rate, alone and during W2: the
 * purger must delete at full speed without stalling intake, claims or finishes.
 */
final class PurgeDuringW2 implements Workload {
  /** How long the purge alone is watched before W2 starts. */
  private static final Duration ALONE = Duration.ofSeconds(10);

  /** The purger's first round starts within its interval (10 s) of the load. */
  private static final Duration FIRST_ROUND_WITHIN = Duration.ofSeconds(60);

  @Override
  public String id() {
    return "purge";
  }

  @Override
  public List<Figure> run(BenchRun run, ServerUnderTest server) throws Exception {
    BenchConfig config = run.config();
    int size = config.batchSize();
    int tasks = config.tasks() / size * size;
    int backlog = config.backlog();
    // the loaded tasks include failures (in reports), which a probe of every queue reports as W2's
    TaskListProbe probe = new TaskListProbe(server, run.client(), "default");

    W2EndToEnd.Passes without = W2EndToEnd.passes(run, probe, tasks);

    // finished 40 to 31 days ago and kept 30 days: due for purging over the last 10 days
    Instant now = Instant.now();
    BulkLoad load = new BulkLoad(server.store(), run.progress());
    server.whileStopped(
        () ->
            load.finishedTasks(
                run.sink().fastUrl(),
                backlog,
                now.minus(Duration.ofDays(40)),
                now.minus(Duration.ofDays(31)),
                Duration.ofDays(30)));
    // the new server's JIT is cold: one untimed W2 first, as the bench warms every server up
    W2EndToEnd.passes(run, probe, tasks);
    Remaining remaining = new Remaining(server.store(), now);
    long firstSeen = System.nanoTime();
    while (remaining.count() == backlog) {
      if (System.nanoTime() - firstSeen > FIRST_ROUND_WITHIN.toNanos()) {
        throw new IllegalStateException(
            "the purger deleted nothing within "
                + FIRST_ROUND_WITHIN.toSeconds()
                + " s of the load");
      }
      Thread.sleep(100);
    }
    Rate alone = remaining.rateOver(() -> Thread.sleep(ALONE.toMillis()));
    W2EndToEnd.Passes[] during = new W2EndToEnd.Passes[1];
    Rate withW2 = remaining.rateOver(() -> during[0] = W2EndToEnd.passes(run, probe, tasks));
    if (withW2.left() == 0) {
      run.progress()
          .printf(
              Locale.ROOT,
              "purge: the backlog was gone before W2 ended; its rate during W2 counts the idle end too"
                  + " (a bigger --backlog keeps the purger busy throughout)%n");
    }
    run.progress()
        .printf(
            Locale.ROOT,
            "purge: %,d of %,d tasks past retention left after W2%n",
            withW2.left(),
            backlog);

    String store = server.storeName();
    String purging = String.format(Locale.ROOT, "while purging %,d", backlog);
    List<Figure> figures = new ArrayList<>();
    figures.add(
        Figure.of(
                id(),
                store,
                String.format(
                    Locale.ROOT, "W2 end to end, %,d tasks, 1 a request, %s", tasks, purging),
                "tasks/s",
                during[0].single().tasksPerSecond())
            .against(without.single().tasksPerSecond(), "tasks/s not purging"));
    figures.add(
        Figure.of(
                id(),
                store,
                String.format(
                    Locale.ROOT,
                    "W2 end to end, %,d tasks, %d a request, %s",
                    tasks,
                    size,
                    purging),
                "tasks/s",
                during[0].batched().tasksPerSecond())
            .against(without.batched().tasksPerSecond(), "tasks/s not purging"));
    // The purger's own work is in the server's CPU: what it adds to each task.
    figures.addAll(
        CpuFigures.perTaskAgainst(
            id(),
            store,
            "W2 1 a request, " + purging,
            during[0].single().cpu(),
            tasks,
            without.single().cpu(),
            tasks,
            "ms not purging"));
    Figure purgedDuringW2 =
        Figure.of(id(), store, "tasks purged during W2", "tasks/s", withW2.perSecond());
    figures.add(
        alone.perSecond() == null
            ? purgedDuringW2
            : purgedDuringW2.against(alone.perSecond(), "tasks/s purged alone"));
    return figures;
  }

  private interface Step {
    void run() throws Exception;
  }

  /**
   * @param perSecond null when nothing was left to purge at the start
   */
  private record Rate(Double perSecond, long left) {}

  /** The loaded tasks not yet purged, counted on the purge index. */
  private record Remaining(FreshStore store, Instant dueBy) {
    long count() throws SQLException {
      try (Connection c = store.connect();
          PreparedStatement s =
              c.prepareStatement(
                  "SELECT COUNT(*) FROM tasks WHERE purge_at >= 0 AND purge_at <= ?")) {
        s.setLong(1, dueBy.toEpochMilli());
        try (ResultSet row = s.executeQuery()) {
          row.next();
          return row.getLong(1);
        }
      }
    }

    Rate rateOver(Step step) throws Exception {
      long before = count();
      long start = System.nanoTime();
      step.run();
      double seconds = (System.nanoTime() - start) / 1e9;
      long after = count();
      return new Rate(before == 0 ? null : (before - after) / seconds, after);
    }
  }
}
