package dev.offload.store;

import dev.offload.task.Task;
import dev.offload.task.TaskId;
import java.util.List;

/** One page of a listing; {@code nextCursor} is null on the last page. */
public record TaskPage(List<Task> tasks, TaskId nextCursor) {}
