package dev.offload.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The read endpoints a dashboard and an operator call, each called {@link #CALLS} times one after
 * the other (latency, not throughput): the queue list and one queue, its history, the task list by
 * each filter and a queue's walked by its cursor, {@code /metrics} and {@code /v1/nodes}.
 */
final class ReadProbe {
  static final int CALLS = 20;
  static final Duration BUDGET = Duration.ofSeconds(30);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ServerUnderTest server;
  private final LoadClient client;
  private final Map<String, String> paths = new LinkedHashMap<>();
  private final String queueList;

  /**
   * @param queue the queue read alone, by its history and as a task filter
   * @param status the status the task list is filtered by
   */
  ReadProbe(ServerUnderTest server, LoadClient client, String queue, String status) {
    this.server = server;
    this.client = client;
    String q = URLEncoder.encode(queue, StandardCharsets.UTF_8);
    paths.put("GET /v1/queues", "/v1/queues");
    paths.put("GET /v1/queues/{name}", "/v1/queues/" + q);
    paths.put("GET /v1/queues/{name}/history", "/v1/queues/" + q + "/history");
    paths.put("GET /v1/tasks", "/v1/tasks");
    queueList = "/v1/tasks?queue=" + q;
    paths.put("GET /v1/tasks?queue=", queueList);
    paths.put("GET /v1/tasks?status=", "/v1/tasks?status=" + status);
    paths.put("GET /v1/tasks?queue=&status=", "/v1/tasks?queue=" + q + "&status=" + status);
    paths.put("GET /v1/tasks?scheduleName=", "/v1/tasks?scheduleName=nightly");
    paths.put("GET /metrics", "/metrics");
    paths.put("GET /v1/nodes", "/v1/nodes");
  }

  /**
   * The latencies of up to {@link #CALLS} calls of each endpoint, in ms, by endpoint name; fails on
   * an HTTP error. An endpoint stops early once its calls took {@link #BUDGET} in all, so a server
   * on which each read takes minutes still gets through the list.
   */
  Map<String, double[]> latencies() throws InterruptedException {
    Map<String, double[]> latencies = new LinkedHashMap<>();
    for (Map.Entry<String, String> endpoint : paths.entrySet()) {
      List<Double> millis = new ArrayList<>();
      while (millis.size() < CALLS && !overBudget(millis))
        millis.add(timedGet(endpoint.getValue()).millis());
      latencies.put(endpoint.getKey(), toArray(millis));
    }
    latencies.put("GET /v1/tasks?queue=&cursor=", cursorWalk());
    return latencies;
  }

  /** Pages of the queue's task list, each from the previous page's {@code nextCursor}. */
  private double[] cursorWalk() throws InterruptedException {
    List<Double> millis = new ArrayList<>();
    String cursor = nextCursor(timedGet(queueList).body());
    while (cursor != null && millis.size() < CALLS && !overBudget(millis)) {
      Timed page = timedGet(queueList + "&cursor=" + cursor);
      millis.add(page.millis());
      cursor = nextCursor(page.body());
    }
    return toArray(millis);
  }

  private static boolean overBudget(List<Double> millis) {
    return millis.stream().mapToDouble(Double::doubleValue).sum() > BUDGET.toMillis();
  }

  private static double[] toArray(List<Double> millis) {
    return millis.stream().mapToDouble(Double::doubleValue).toArray();
  }

  /**
   * A call and its answer; a call that got no answer in time counts with the time until the client
   * gave up.
   */
  private record Timed(double millis, String body) {}

  private Timed timedGet(String path) throws InterruptedException {
    long start = System.nanoTime();
    LoadClient.Reply reply = client.getNow(server.uri(path));
    double millis = (System.nanoTime() - start) / 1e6;
    if (reply.status() != 0 && !reply.ok())
      throw new IllegalStateException("GET " + path + ": " + reply.describe());
    return new Timed(millis, reply.ok() ? reply.body() : null);
  }

  private static String nextCursor(String body) {
    if (body == null) return null;
    try {
      String cursor = JSON.readTree(body).path("nextCursor").asText(null);
      return cursor == null || cursor.isEmpty() ? null : cursor;
    } catch (IOException e) {
      throw new IllegalStateException("a task list answer that is not JSON: " + body, e);
    }
  }

  /** Nearest rank: of 20 calls, the slowest. */
  static double p99(double[] millis) {
    double[] sorted = millis.clone();
    Arrays.sort(sorted);
    return sorted[(int) Math.ceil(0.99 * sorted.length) - 1];
  }

  /**
   * The p99 of each endpoint's calls in {@code measured}, against the same endpoint's in {@code
   * baseline}.
   */
  static List<Figure> figures(
      String workload,
      String store,
      String when,
      Map<String, double[]> measured,
      Map<String, double[]> baseline,
      String baselineLabel) {
    List<Figure> figures = new ArrayList<>();
    measured.forEach(
        (endpoint, millis) -> {
          if (millis.length == 0) return;
          Figure figure =
              Figure.of(
                  workload,
                  store,
                  String.format(Locale.ROOT, "%s p99 of %d, %s", endpoint, millis.length, when),
                  "ms",
                  p99(millis));
          double[] base = baseline.getOrDefault(endpoint, new double[0]);
          figures.add(base.length == 0 ? figure : figure.against(p99(base), baselineLabel));
        });
    return figures;
  }
}
