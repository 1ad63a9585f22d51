package dev.offload.store;

import dev.offload.queue.QueueDepth;
import dev.offload.task.TaskStatus;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Active tasks counted by queue and status, for the queue gauges: counters and an index step per
 * queue.
 */
final class QueueDepths {
  private QueueDepths() {}

  static List<QueueDepth> read(Connection c, Instant now) throws SQLException {
    List<QueueDepth> depths = new ArrayList<>();
    for (Map.Entry<String, Map<TaskStatus, Long>> queue : TaskCounts.byQueue(c, null).entrySet()) {
      Long oldest = TaskCounts.oldestReadyAt(c, queue.getKey(), now.toEpochMilli());
      Instant oldestReadySince = oldest == null ? null : Instant.ofEpochMilli(oldest);
      for (Map.Entry<TaskStatus, Long> count : queue.getValue().entrySet()) {
        TaskStatus status = count.getKey();
        if (status.isTerminal()) continue;
        depths.add(
            new QueueDepth(
                queue.getKey(),
                status,
                count.getValue(),
                status == TaskStatus.QUEUED ? oldestReadySince : null));
      }
    }
    return depths;
  }
}
