package dev.offload.engine;

import dev.offload.cluster.WorkerHolding;
import dev.offload.cluster.WorkerInfo;
import dev.offload.dispatch.WorkerLeases;
import dev.offload.store.WorkerSightings;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which pull workers asked for work lately and what each holds now ({@code GET /v1/workers}).
 *
 * <p>A lease poll only updates a map in memory; every {@link #SAVE_EVERY} the workers seen since
 * the last save go to the store in one transaction. So thousands of polls a second cost one row
 * write per worker every few seconds, and on PostgreSQL every node's workers show on every node. A
 * listing adds what this node saw since its last save, so a worker shows at once on the node it
 * asked. What a worker holds is read from the tasks themselves, so it is never stale.
 */
public final class WorkerRegistry {
  static final Duration SAVE_EVERY = Duration.ofSeconds(5);

  /**
   * Workers listed, seen last first: ids default to host and process id, so a day of deploys makes
   * many.
   */
  public static final int MAX_LISTED = 1_000;

  /** Held tasks listed per worker; the count covers all of them. */
  public static final int MAX_HELD_LISTED = 10;

  /** Distinct workers kept between two saves: a client inventing ids cannot fill the memory. */
  private static final int MAX_UNSAVED = 10_000;

  private final WorkerSightings store;
  private final Clock clock;
  private final String node;
  private final Map<String, WorkerInfo> unsaved = new ConcurrentHashMap<>();

  WorkerRegistry(WorkerSightings store, Clock clock, String node) {
    this.store = store;
    this.clock = clock;
    this.node = node;
  }

  /** A worker asked this node for work, now. */
  void asked(WorkRequest request) {
    if (unsaved.size() >= MAX_UNSAVED && !unsaved.containsKey(request.workerId())) return;
    unsaved.put(
        request.workerId(),
        new WorkerInfo(
            request.workerId(), node, request.names(), request.queues(), clock.instant()));
  }

  /**
   * Writes the workers seen since the last save; returns how many. Kept for the next save when the
   * write fails.
   */
  int save() {
    List<WorkerInfo> seen = List.copyOf(unsaved.values());
    store.sawWorkers(seen);
    // a worker seen again meanwhile keeps its newer sighting for the next save
    seen.forEach(worker -> unsaved.remove(worker.workerId(), worker));
    return seen.size();
  }

  /** A worker as last seen, and what it holds now. */
  public record WorkerStatus(WorkerInfo info, WorkerHolding holding) {}

  /**
   * The workers seen last (up to {@link #MAX_LISTED}), newest first, then any other worker that
   * holds tasks (seen too long ago, or its node has not saved it yet): only its id is known.
   */
  public List<WorkerStatus> list() {
    Map<String, WorkerInfo> seen = new HashMap<>();
    store.workers(MAX_LISTED).forEach(worker -> seen.put(worker.workerId(), worker));
    unsaved
        .values()
        .forEach(
            worker ->
                seen.merge(
                    worker.workerId(),
                    worker,
                    (a, b) -> a.lastSeenAt().isAfter(b.lastSeenAt()) ? a : b));
    Map<String, WorkerHolding> holdings = new HashMap<>();
    store
        .workerHoldings(WorkerLeases.MARK, MAX_HELD_LISTED)
        .forEach(holding -> holdings.put(holding.workerId(), holding));
    List<WorkerStatus> workers = new ArrayList<>();
    seen.values().stream()
        .sorted(
            Comparator.comparing(WorkerInfo::lastSeenAt)
                .reversed()
                .thenComparing(WorkerInfo::workerId))
        .limit(MAX_LISTED)
        .forEach(
            worker -> {
              WorkerHolding holding = holdings.remove(worker.workerId());
              workers.add(
                  new WorkerStatus(
                      worker,
                      holding != null
                          ? holding
                          : new WorkerHolding(worker.workerId(), 0, List.of())));
            });
    holdings.values().stream()
        .sorted(Comparator.comparing(WorkerHolding::workerId))
        .forEach(
            holding ->
                workers.add(
                    new WorkerStatus(
                        new WorkerInfo(holding.workerId(), null, List.of(), List.of(), null),
                        holding)));
    return workers;
  }
}
