package dev.offload.cluster;

import dev.offload.task.TaskId;
import java.util.Collection;

/**
 * Wake-ups between nodes that share a database: new work was committed (claim it now rather than at
 * the next poll), or tasks finished (answer long-polls waiting on another node). Losing a signal
 * only costs latency: every loop also polls.
 */
public interface ClusterSignals extends AutoCloseable {
  /** What a node hears from the others. */
  interface Listener {
    void newWork();

    void finished(Collection<TaskId> ids);
  }

  /** A single node has no one to tell. */
  ClusterSignals NONE =
      new ClusterSignals() {
        @Override
        public void start(Listener listener) {}

        @Override
        public void newWork() {}

        @Override
        public void finished(Collection<TaskId> ids) {}

        @Override
        public void close() {}
      };

  void start(Listener listener);

  void newWork();

  void finished(Collection<TaskId> ids);

  @Override
  void close();
}
