package dev.offload.cluster;

import java.time.Instant;
import java.util.List;

/**
 * A pull worker as a node last saw it ask for work ({@code POST /v1/workers/lease}): the node it
 * asked, the names and queues it asked for (empty: any) and when.
 */
public record WorkerInfo(
    String workerId, String node, List<String> names, List<String> queues, Instant lastSeenAt) {
  public WorkerInfo {
    names = List.copyOf(names);
    queues = List.copyOf(queues);
  }
}
