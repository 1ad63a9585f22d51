package dev.offload.bench;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * CPU time that each group of processes spent over one measured interval, in the groups' order; see
 * {@link CpuMeter}.
 */
record CpuSpent(Map<String, Duration> byGroup) {
  CpuSpent {
    byGroup = Collections.unmodifiableMap(new LinkedHashMap<>(byGroup));
  }

  boolean isEmpty() {
    return byGroup.isEmpty();
  }

  /** The groups' names, as {@code server + PostgreSQL backends}. */
  String groups() {
    return String.join(" + ", byGroup.keySet());
  }

  /**
   * Each group's CPU and, with more than one group, all of theirs together under {@link #groups()}.
   */
  Map<String, Duration> withTotal() {
    Map<String, Duration> all = new LinkedHashMap<>(byGroup);
    if (byGroup.size() > 1) all.put(groups(), total());
    return all;
  }

  Duration total() {
    return byGroup.values().stream().reduce(Duration.ZERO, Duration::plus);
  }

  /** Milliseconds of CPU a task. */
  static double millisPerTask(Duration cpu, int tasks) {
    return cpu.toNanos() / 1e6 / tasks;
  }
}
