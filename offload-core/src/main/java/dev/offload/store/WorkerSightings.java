package dev.offload.store;

import dev.offload.cluster.WorkerHolding;
import dev.offload.cluster.WorkerInfo;
import java.util.List;

/**
 * The pull workers that asked for work lately, as the nodes saw them, and what each holds now. An
 * interface so that the registry's handling of a failing save can be tested against a store that
 * fails on purpose.
 */
public interface WorkerSightings {
  /**
   * Records pull workers that asked for work, in one transaction: a worker's row takes a sighting
   * only if it is not older than the one it has (nodes save what they saw at their own pace).
   */
  void sawWorkers(List<WorkerInfo> workers);

  /** The {@code max} workers seen last, newest first. */
  List<WorkerInfo> workers(int max);

  /**
   * What each worker holds now: its running pull tasks, counted and the first {@code maxEach}
   * listed, grouped by the worker named in their lease tokens (the text before {@code leaseMark}).
   */
  List<WorkerHolding> workerHoldings(String leaseMark, int maxEach);
}
