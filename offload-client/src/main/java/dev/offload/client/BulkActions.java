package dev.offload.client;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The bulk-action API ({@code /v1/bulk-actions}) of one server, from {@link
 * OffloadClient#bulkActions()}: retry, cancel or delete every task a {@link BulkFilter} matches, in
 * the background. Thread-safe. An action that does not exist is an {@link OffloadException} with
 * status 404.
 *
 * <pre>{@code
 * BulkFilter failedEmails = BulkFilter.builder().queue("emails").status(TaskStatus.FAILED).build();
 * long n = offload.bulkActions().count(failedEmails);
 * BulkActionView action = offload.bulkActions().start(BulkOperation.RETRY, failedEmails);
 * action = offload.bulkActions().awaitFinished(action.actionId(), Duration.ofMinutes(5));
 * }</pre>
 */
public final class BulkActions {
  /** The shortest and longest pause between two reads of {@link #awaitFinished}. */
  static final Duration FIRST_POLL = Duration.ofMillis(100);

  static final Duration LONGEST_POLL = Duration.ofSeconds(2);

  private final Transport transport;

  BulkActions(Transport transport) {
    this.transport = transport;
  }

  /** How many tasks {@code filter} matches now (a dry run: nothing changes). */
  public long count(BulkFilter filter) {
    ObjectNode body = body(BulkOperation.RETRY, filter);
    body.put("dryRun", true);
    return transport
        .post("/v1/bulk-actions", body, Map.of(), Duration.ZERO)
        .read(json -> Json.longValue(json, "matched"));
  }

  /**
   * Starts applying {@code operation} to every task {@code filter} matches and answers at once with
   * the running action. When the same operation with the same filter is already running, answers
   * that action instead of starting another.
   */
  public BulkActionView start(BulkOperation operation, BulkFilter filter) {
    return transport
        .post("/v1/bulk-actions", body(operation, filter), Map.of(), Duration.ZERO)
        .read(BulkActionView::from);
  }

  public BulkActionView get(String actionId) {
    return transport.get(path(actionId), Duration.ZERO).read(BulkActionView::from);
  }

  /** The latest {@code limit} actions, newest first. */
  public List<BulkActionView> list(int limit) {
    if (limit < 1) throw new IllegalArgumentException("limit must be at least 1, got " + limit);
    return transport
        .get("/v1/bulk-actions?limit=" + limit, Duration.ZERO)
        .read(
            json -> {
              List<BulkActionView> actions = new ArrayList<>();
              json.path("actions").forEach(item -> actions.add(BulkActionView.from(item)));
              return List.copyOf(actions);
            });
  }

  /**
   * Stops a running action; the tasks it already handled stay as they are. 409 when it has
   * finished.
   */
  public BulkActionView cancel(String actionId) {
    return transport
        .post(path(actionId) + "/cancel", null, Map.of(), Duration.ZERO)
        .read(BulkActionView::from);
  }

  /**
   * Reads the action until it is finished (succeeded or cancelled) or {@code timeout} passes,
   * whichever is first, and returns it as it is then — check {@link BulkActionView#isFinished()}.
   * Reads every 100 ms at first, then less often, up to every 2 s.
   */
  public BulkActionView awaitFinished(String actionId, Duration timeout) {
    WireDurations.requireNonNegative(timeout, "timeout");
    long deadline = System.nanoTime() + timeout.toNanos();
    Duration pause = FIRST_POLL;
    BulkActionView action = get(actionId);
    while (!action.isFinished() && deadline - System.nanoTime() > 0) {
      long left = deadline - System.nanoTime();
      sleep(Math.min(pause.toNanos(), Math.max(0, left)));
      pause =
          pause.multipliedBy(2).compareTo(LONGEST_POLL) > 0 ? LONGEST_POLL : pause.multipliedBy(2);
      action = get(actionId);
    }
    return action;
  }

  private static void sleep(long nanos) {
    try {
      Thread.sleep(Duration.ofNanos(nanos));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new OffloadConnectionException(
          "interrupted while waiting for a bulk action", "GET /v1/bulk-actions", e);
    }
  }

  private static ObjectNode body(BulkOperation operation, BulkFilter filter) {
    Objects.requireNonNull(operation, "operation");
    Objects.requireNonNull(filter, "filter");
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.put("action", operation.wire());
    body.set("filter", filter.toJson());
    return body;
  }

  private static String path(String actionId) {
    Objects.requireNonNull(actionId, "actionId");
    if (actionId.isBlank()) throw new IllegalArgumentException("actionId is blank");
    return "/v1/bulk-actions/" + Transport.segment(actionId);
  }
}
