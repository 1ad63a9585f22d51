package dev.offload.client;

import java.util.List;

/**
 * One page of {@code GET /v1/tasks}, newest first.
 *
 * @param nextCursor pass to {@link ListQuery.Builder#cursor} for the next page; null on the last
 */
public record TaskPage(List<TaskView> tasks, String nextCursor) {
  public TaskPage {
    tasks = List.copyOf(tasks);
  }

  public boolean hasMore() {
    return nextCursor != null;
  }
}
