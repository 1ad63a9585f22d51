package dev.offload.task;

import java.util.List;

/** One page of a listing; {@code nextCursor} is null on the last page. */
public record TaskPage(List<Task> tasks, TaskId nextCursor) {}
