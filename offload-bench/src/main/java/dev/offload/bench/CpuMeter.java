package dev.offload.bench;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The CPU time (user + system) that groups of processes spend over an interval: the {@code utime}
 * and {@code stime} of {@code /proc/<pid>/stat}, which {@link ProcessHandle.Info#totalCpuDuration}
 * reads and converts from clock ticks (10 ms each at Linux's usual 100 a second; so is the figure's
 * resolution per process). All threads of a process count, the JVM's JIT and GC included.
 */
final class CpuMeter {
  /**
   * The processes of one group at this moment; the set may change during the interval (PostgreSQL
   * backends come and go).
   */
  interface Pids {
    Collection<Long> now();
  }

  private final Map<String, Pids> groups;
  private final Map<String, Map<Long, Duration>> atStart = new LinkedHashMap<>();

  private CpuMeter(Map<String, Pids> groups) {
    this.groups = groups;
    groups.forEach((name, pids) -> atStart.put(name, read(pids)));
  }

  /** Reads every group's CPU so far; {@link #stop} gives what they spent since. */
  static CpuMeter start(Map<String, Pids> groups) {
    return new CpuMeter(new LinkedHashMap<>(groups));
  }

  /**
   * What each group spent since {@link #start}: for a process started meanwhile, all of its CPU; a
   * process that ended meanwhile is not seen, so the figure is then a floor. A group none of whose
   * processes could be read (no {@code /proc}) is left out.
   */
  CpuSpent stop() {
    Map<String, Duration> spent = new LinkedHashMap<>();
    groups.forEach(
        (name, pids) -> {
          Map<Long, Duration> before = atStart.get(name);
          Map<Long, Duration> now = read(pids);
          if (now.isEmpty()) return;
          Duration sum = Duration.ZERO;
          for (Map.Entry<Long, Duration> process : now.entrySet()) {
            sum =
                sum.plus(
                    process.getValue().minus(before.getOrDefault(process.getKey(), Duration.ZERO)));
          }
          spent.put(name, sum);
        });
    return new CpuSpent(spent);
  }

  private static Map<Long, Duration> read(Pids pids) {
    Map<Long, Duration> cpu = new HashMap<>();
    for (long pid : pids.now()) of(pid).ifPresent(time -> cpu.put(pid, time));
    return cpu;
  }

  /** A process's CPU time so far; empty where there is no {@code /proc} or the process is gone. */
  static Optional<Duration> of(long pid) {
    return ProcessHandle.of(pid).flatMap(process -> process.info().totalCpuDuration());
  }
}
