package dev.offload.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;

/**
 * The flow-control scenarios of issue 8, run against one node (SQLite) and two nodes (PostgreSQL):
 * tasks are created on the nodes in turn and the target counts what reaches it.
 */
final class FlowControlChecks {
  private FlowControlChecks() {}

  /**
   * Creates {@code count} tasks in batches of 100 spread over {@code nodes}; {@code taskJson(i)} is
   * one task.
   */
  static void createTasks(
      List<RunningServer> nodes, int count, java.util.function.IntFunction<String> taskJson) {
    for (int start = 0, batch = 0; start < count; start += 100, batch++) {
      StringBuilder body = new StringBuilder("{\"tasks\":[");
      for (int i = start; i < Math.min(count, start + 100); i++)
        body.append(i == start ? "" : ",").append(taskJson.apply(i));
      RunningServer.Answer answer =
          nodes.get(batch % nodes.size()).post("/v1/tasks/batch", body.append("]}").toString());
      assertThat(answer.status()).as(answer.text()).isEqualTo(202);
    }
  }

  static void awaitSucceeded(RunningServer node, String queue, int count, Duration within) {
    await()
        .atMost(within)
        .until(
            () ->
                node.get("/v1/queues/" + queue).body().path("counts").path("succeeded").asInt()
                    == count);
  }

  static void concurrency5HoldsFor200Tasks(List<RunningServer> nodes, TestTarget target) {
    InFlightMeter meter = new InFlightMeter(Duration.ofMillis(40), null);
    target.on("/limited", meter);
    assertThat(nodes.getFirst().put("/v1/queues/limited", "{\"concurrency\":5}").status())
        .isEqualTo(200);

    createTasks(
        nodes,
        200,
        i -> "{\"callbackUrl\":\"" + target.url("/limited") + "\",\"queue\":\"limited\"}");

    awaitSucceeded(nodes.getFirst(), "limited", 200, Duration.ofSeconds(60));
    assertThat(meter.calls()).isEqualTo(200);
    assertThat(meter.peak()).as("calls in flight at once at the target").isEqualTo(5);
  }

  /** Returns the number of calls that started within 10 s of the first. */
  static long rate20PerSecondHoldsOver10Seconds(List<RunningServer> nodes, TestTarget target) {
    InFlightMeter meter = new InFlightMeter(Duration.ZERO, null);
    target.on("/paced", meter);
    assertThat(nodes.getFirst().put("/v1/queues/paced", "{\"ratePerSecond\":20}").status())
        .isEqualTo(200);

    createTasks(
        nodes, 300, i -> "{\"callbackUrl\":\"" + target.url("/paced") + "\",\"queue\":\"paced\"}");

    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                meter.calls() > 0
                    && Duration.between(meter.firstCall(), java.time.Instant.now()).toMillis()
                        > 10_500);
    long inWindow = meter.callsWithinWindowOfFirst(Duration.ofSeconds(10));
    // 20/s for 10 s is 200 calls, plus the one token the bucket starts with; 10 % either way.
    assertThat(inWindow).isBetween(181L, 221L);
    return inWindow;
  }

  static void oneCallPerKeyWhileOtherKeysProceed(List<RunningServer> nodes, TestTarget target) {
    InFlightMeter meter = new InFlightMeter(Duration.ofMillis(100), "X-Customer");
    target.on("/keyed", meter);

    createTasks(
        nodes,
        40,
        i ->
            "{\"callbackUrl\":\""
                + target.url("/keyed")
                + "\",\"queue\":\"keyed\","
                + "\"concurrencyKey\":\"customer-"
                + (i % 4)
                + "\",\"headers\":{\"X-Customer\":\"customer-"
                + (i % 4)
                + "\"}}");

    awaitSucceeded(nodes.getFirst(), "keyed", 40, Duration.ofSeconds(60));
    assertThat(meter.peakByGroup())
        .containsOnlyKeys("customer-0", "customer-1", "customer-2", "customer-3")
        .allSatisfy((key, peak) -> assertThat(peak).as("calls of %s at once", key).isEqualTo(1));
    assertThat(meter.peak()).as("keys run side by side").isGreaterThan(1);
  }
}
