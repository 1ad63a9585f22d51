package dev.offload.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * Asks the server under test, through its public API, whether work is done: the bench sees the
 * target's side in the sink, and this is the server's side (its success is recorded after the
 * target answered). As a {@link TaskSystem}, it is the server for W2's passes.
 */
final class TaskListProbe implements TaskSystem {
  private static final List<String> UNFINISHED = List.of("queued", "running", "retrying");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ServerUnderTest server;
  private final LoadClient client;
  private final String queueFilter;

  TaskListProbe(ServerUnderTest server, LoadClient client) {
    this(server, client, null);
  }

  /**
   * Looks at the tasks of {@code queue} alone (all queues when null): other queues may hold a
   * backlog or old failures.
   */
  TaskListProbe(ServerUnderTest server, LoadClient client, String queue) {
    this.server = server;
    this.client = client;
    this.queueFilter =
        queue == null ? "" : "&queue=" + URLEncoder.encode(queue, StandardCharsets.UTF_8);
  }

  @Override
  public URI uri(String path) {
    return server.uri(path);
  }

  @Override
  public Map<String, CpuMeter.Pids> processes() {
    return server.processes();
  }

  /**
   * Waits until the sink condition holds and then until the server has no queued, running or
   * retrying task (scheduled warm-up tasks do not count); returns when, on the nanoTime scale. The
   * server is polled every 10 ms only after the sink is done, so polling adds no load before.
   */
  @Override
  public long awaitDone(BooleanSupplier sinkDone, Duration within, String what)
      throws InterruptedException {
    long deadline = System.nanoTime() + within.toNanos();
    waitFor(sinkDone, 2, deadline, what + " (target side)");
    long done = waitFor(this::nothingUnfinished, 10, deadline, what + " (server side)");
    requireNoneFailed(what);
    return done;
  }

  /** Polls {@code condition}; fails when the deadline passes or the server has died. */
  long waitFor(BooleanSupplier condition, long pollMillis, long deadlineNanos, String what)
      throws InterruptedException {
    return Poll.until(
        condition, pollMillis, deadlineNanos, what, () -> server.process().requireAlive());
  }

  private boolean nothingUnfinished() {
    for (String status : UNFINISHED) {
      if (!firstTask(status).isMissingNode()) return false;
    }
    return true;
  }

  private void requireNoneFailed(String what) {
    JsonNode failed = firstTask("failed");
    if (!failed.isMissingNode()) {
      throw new IllegalStateException(
          what
              + ": task "
              + failed.path("taskId").asText()
              + " failed: "
              + failed.path("lastError"));
    }
  }

  /** The newest task in {@code status}, or a missing node when there is none. */
  private JsonNode firstTask(String status) {
    try {
      LoadClient.Reply reply =
          client.getNow(server.uri("/v1/tasks?status=" + status + queueFilter + "&limit=1"));
      if (!reply.ok())
        throw new IllegalStateException("listing " + status + " tasks: " + reply.describe());
      return JSON.readTree(reply.body()).path("tasks").path(0);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (java.io.IOException e) {
      throw new IllegalStateException("listing " + status + " tasks: unreadable answer", e);
    }
  }
}
