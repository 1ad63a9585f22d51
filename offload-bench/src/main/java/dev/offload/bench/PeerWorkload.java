package dev.offload.bench;

import java.net.URI;
import java.util.List;

/**
 * The {@code peer} workload: W2's two passes against BullMQ ({@link BullmqPeer}), measured once a
 * run before any Offload server starts, so that W2 on each store can be compared with it.
 */
final class PeerWorkload {
  static final String ID = "peer";

  /** The store column of its figures. */
  static final String STORE = "redis";

  /**
   * @param passes what W2 compares with
   */
  record Result(W2EndToEnd.Passes passes, List<Figure> figures) {}

  private PeerWorkload() {}

  static Result run(BenchRun run) throws Exception {
    try (BullmqPeer peer = BullmqPeer.start(run.config(), run.client(), run.progress())) {
      try {
        warmUp(run, peer);
        int tasks = W2EndToEnd.tasks(run.config());
        W2EndToEnd.Passes passes = W2EndToEnd.passes(run, peer, tasks);
        return new Result(passes, W2EndToEnd.figures(ID, STORE, run, passes, tasks));
      } catch (Exception e) {
        throw new IllegalStateException(e.getMessage() + "\n" + peer.keepLogs(), e);
      }
    }
  }

  /**
   * Untimed tasks through the producer and the worker first, as every Offload server gets, so
   * Node's JIT is warm too.
   */
  private static void warmUp(BenchRun run, BullmqPeer peer) throws InterruptedException {
    int warmup = run.config().warmup();
    if (warmup == 0) return;
    URI create = peer.uri("/v1/tasks");
    String body = TaskBodies.now(run.sink().fastUrl(), "{\"warmup\":true}");
    W2EndToEnd.pass(run, peer, warmup, warmup, i -> run.client().post(create, body));
  }
}
