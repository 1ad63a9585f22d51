package dev.offload.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * The task API ({@code /v1/tasks}) of one server, from {@link OffloadClient#tasks()}. Thread-safe.
 * Every method throws {@link OffloadException} when the server refuses the request and {@link
 * OffloadConnectionException} when no answer arrives.
 */
public final class Tasks {
  /** The longest one long-poll may last; the server refuses more. */
  public static final Duration MAX_WAIT = Duration.ofSeconds(60);

  private final Transport transport;

  Tasks(Transport transport) {
    this.transport = transport;
  }

  /** Creates a task; the answer comes once the task is stored (durable). */
  public Accepted create(TaskRequest request) {
    return create(request, Duration.ZERO);
  }

  /**
   * Creates a task and lets the server hold the answer up to {@code wait} (at most 60 s, {@code
   * Prefer: wait}): when the task finishes in that time, {@link Accepted#task()} is the finished
   * task; otherwise the answer is the usual one with status {@code queued} or {@code running}.
   * Waits are whole seconds, rounded up.
   */
  public Accepted create(TaskRequest request, Duration wait) {
    Objects.requireNonNull(request, "request");
    WireDurations.requireNonNegative(wait, "wait");
    if (wait.compareTo(MAX_WAIT) > 0)
      throw new IllegalArgumentException("wait must be at most 60s, got " + wait + "; use await()");
    long waitSeconds = wait.isZero() ? 0 : Math.max(1, (wait.toMillis() + 999) / 1000);
    Map<String, String> headers =
        waitSeconds == 0 ? Map.of() : Map.of("Prefer", "wait=" + waitSeconds);
    Transport.Answer answer =
        transport.post("/v1/tasks", request.toJson(), headers, Duration.ofSeconds(waitSeconds));
    if (answer.status() == 202) {
      return answer.read(
          json ->
              new Accepted(
                  Json.requiredText(json, "taskId"),
                  TaskStatus.fromWire(Json.requiredText(json, "status")),
                  false,
                  null));
    }
    boolean replayed = "true".equalsIgnoreCase(answer.header("Idempotent-Replayed"));
    return Accepted.of(answer.read(TaskView::from), replayed);
  }

  /**
   * Creates up to 1,000 tasks at once, all or none: when one is invalid, nothing is created and the
   * {@link OffloadException} names each invalid field as {@code tasks[i].field}. The answers are in
   * the order of {@code requests}.
   */
  public List<Accepted> createBatch(List<TaskRequest> requests) {
    Objects.requireNonNull(requests, "requests");
    if (requests.isEmpty()) throw new IllegalArgumentException("a batch needs at least one task");
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    ArrayNode tasks = body.putArray("tasks");
    requests.forEach(
        request -> tasks.add(Objects.requireNonNull(request, "a request of the batch").toJson()));
    return transport
        .post("/v1/tasks/batch", body, Map.of(), Duration.ZERO)
        .read(
            json -> {
              List<Accepted> accepted = new ArrayList<>();
              for (JsonNode item : json.path("tasks")) {
                accepted.add(
                    new Accepted(
                        Json.requiredText(item, "taskId"),
                        TaskStatus.fromWire(Json.requiredText(item, "status")),
                        item.path("replayed").asBoolean(false),
                        null));
              }
              return List.copyOf(accepted);
            });
  }

  /** The task as it is now; 404 when there is no such task. */
  public TaskView get(String taskId) {
    return transport.get(taskPath(taskId), Duration.ZERO).read(TaskView::from);
  }

  /**
   * Waits until the task is terminal (succeeded, failed or cancelled) or {@code timeout} passes,
   * whichever is first, and returns the task as it is then — check {@link TaskView#isTerminal()}.
   * Waits with long-polls of at most 60 s each, so any timeout is fine; {@link Duration#ZERO} reads
   * the task once.
   */
  public TaskView await(String taskId, Duration timeout) {
    String path = taskPath(taskId);
    WireDurations.requireNonNegative(timeout, "timeout");
    long deadline = System.nanoTime() + timeout.toNanos();
    TaskView task;
    do {
      Duration wait = Duration.ofMillis(Math.max(0, (deadline - System.nanoTime()) / 1_000_000));
      if (wait.compareTo(MAX_WAIT) > 0) wait = MAX_WAIT;
      task =
          wait.isZero()
              ? transport.get(path, Duration.ZERO).read(TaskView::from)
              : transport
                  .get(path + "?wait=" + WireDurations.format(wait), wait)
                  .read(TaskView::from);
    } while (!task.isTerminal() && deadline - System.nanoTime() > 0);
    return task;
  }

  /**
   * One page of tasks, newest first; follow {@link TaskPage#nextCursor()} with {@link
   * ListQuery#after}.
   */
  public TaskPage list(ListQuery query) {
    Objects.requireNonNull(query, "query");
    return transport
        .get("/v1/tasks" + query.toQueryString(), Duration.ZERO)
        .read(
            json -> {
              List<TaskView> tasks = new ArrayList<>();
              json.path("tasks").forEach(item -> tasks.add(TaskView.from(item)));
              return new TaskPage(tasks, Json.text(json, "nextCursor"));
            });
  }

  /**
   * Every task the query matches, newest first, reading pages lazily as the stream is consumed (the
   * first page at once). Limit the stream to stop reading pages.
   */
  public Stream<TaskView> stream(ListQuery query) {
    return Stream.iterate(
            list(query), Objects::nonNull, page -> page.hasMore() ? list(query.after(page)) : null)
        .flatMap(page -> page.tasks().stream());
  }

  /** The attempts of a task, first to last. */
  public List<Attempt> attempts(String taskId) {
    return transport
        .get(taskPath(taskId) + "/attempts", Duration.ZERO)
        .read(
            json -> {
              List<Attempt> attempts = new ArrayList<>();
              json.forEach(item -> attempts.add(Attempt.from(item)));
              return List.copyOf(attempts);
            });
  }

  /**
   * Cancels a task: a scheduled, queued or retrying task at once; a running attempt is aborted.
   * Returns the task; 409 when it is already terminal.
   */
  public TaskView cancel(String taskId) {
    return transport
        .post(taskPath(taskId) + "/cancel", null, Map.of(), Duration.ZERO)
        .read(TaskView::from);
  }

  /**
   * Deletes a finished task with its attempts, events, result and idempotency key; 409 while it is
   * not finished (cancel it first), 404 when there is no such task.
   */
  public void delete(String taskId) {
    transport.delete(taskPath(taskId));
  }

  /**
   * Re-queues a failed or cancelled task with a fresh retry budget, keeping its attempts so far.
   * Returns the task; 409 in any other state.
   */
  public TaskView retry(String taskId) {
    return transport
        .post(taskPath(taskId) + "/retry", null, Map.of(), Duration.ZERO)
        .read(TaskView::from);
  }

  /**
   * Reports progress of a running task from the target that runs it: {@code taskToken} is the
   * {@code Offload-Task-Token} header of the call it received; {@code progress} is any value
   * Jackson can write (at most 64 KiB of JSON). Returns the task; 401 with a wrong token.
   */
  public TaskView progress(String taskId, String taskToken, Object progress) {
    Objects.requireNonNull(taskToken, "taskToken");
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.set("progress", Json.tree(progress));
    return transport
        .post(
            taskPath(taskId) + "/progress",
            body,
            Map.of("Offload-Task-Token", taskToken),
            Duration.ZERO)
        .read(TaskView::from);
  }

  private static String taskPath(String taskId) {
    Objects.requireNonNull(taskId, "taskId");
    if (taskId.isBlank()) throw new IllegalArgumentException("taskId is blank");
    return "/v1/tasks/" + Transport.segment(taskId);
  }
}
