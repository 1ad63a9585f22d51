package dev.offload.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * CPU per task: milliseconds of CPU that each group of processes spent a task over one measured
 * interval.
 */
final class CpuFigures {
  private CpuFigures() {}

  /**
   * Each group's CPU per task and, with more than one group, all of theirs together, against the
   * CPU of one bare call of this run's client to the sink ({@link BenchRun#bareCallCpuMillis}; both
   * ends, in the bench's JVM): a task's HTTP work alone is one call in and one call out.
   */
  static List<Figure> perTask(
      String workload,
      String store,
      String what,
      CpuSpent spent,
      int tasks,
      double bareCallMillis) {
    List<Figure> figures = new ArrayList<>();
    spent
        .withTotal()
        .forEach(
            (group, cpu) -> {
              Figure figure = figure(workload, store, group, what, cpu, tasks);
              figures.add(
                  Double.isNaN(bareCallMillis)
                      ? figure
                      : figure.against(bareCallMillis, "ms a bare call"));
            });
    return figures;
  }

  /**
   * As {@link #perTask}, each against the same group's CPU per task in another interval ({@code
   * before}, e.g. on the empty store).
   */
  static List<Figure> perTaskAgainst(
      String workload,
      String store,
      String what,
      CpuSpent spent,
      int tasks,
      CpuSpent before,
      int tasksBefore,
      String baselineUnit) {
    Map<String, Duration> beforeByGroup = before.withTotal();
    List<Figure> figures = new ArrayList<>();
    spent
        .withTotal()
        .forEach(
            (group, cpu) -> {
              Duration cpuBefore = beforeByGroup.get(group);
              if (cpuBefore != null) {
                figures.add(
                    figure(workload, store, group, what, cpu, tasks)
                        .against(CpuSpent.millisPerTask(cpuBefore, tasksBefore), baselineUnit));
              }
            });
    return figures;
  }

  private static Figure figure(
      String workload, String store, String group, String what, Duration cpu, int tasks) {
    return Figure.of(
        workload,
        store,
        group + " CPU per task, " + what,
        "ms",
        CpuSpent.millisPerTask(cpu, tasks));
  }
}
