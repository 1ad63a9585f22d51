package dev.offload.bulk;

import dev.offload.task.Task;
import java.util.List;

/**
 * One committed batch of a bulk action: the tasks it acted on, and whether the action is still this
 * runner's to go on with.
 */
public sealed interface BulkBatch {
  /** The batch was applied. {@code finished}: it was the last one and the action has succeeded. */
  record Applied(List<Acted> acted, boolean finished) implements BulkBatch {}

  /** The action was cancelled, or its lease went to another node: nothing was done. */
  record Stopped() implements BulkBatch {}

  /**
   * A task acted on: as it was before when a cancel found it running (a running pull task's attempt
   * is ended from it; null otherwise) and after.
   */
  record Acted(Task before, Task after) {}
}
