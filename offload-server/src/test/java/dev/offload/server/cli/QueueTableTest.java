package dev.offload.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import org.junit.jupiter.api.Test;

class QueueTableTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void lines_up_one_queue_a_line_with_limits_figures_and_the_near_timeout_flag() throws Exception {
    String table =
        QueueTable.render(
            JSON.readTree(
                """
        {"queues":[
         {"name":"default","paused":false,"concurrency":null,"ratePerSecond":null,"burst":null,
          "counts":{"scheduled":0,"queued":0,"running":1,"retrying":0,"succeeded":9,"failed":0,"cancelled":0},
          "oldestReadyAgeMs":null,"throughput":{"lastMinute":9,"lastHour":9},
          "attemptDurationMs":{"p50":20,"p95":45,"p99":45},"attemptTimeoutMs":3600000,"nearTimeout":false},
         {"name":"emails","paused":true,"concurrency":10,"ratePerSecond":0.5,"burst":5,
          "counts":{"scheduled":0,"queued":1200,"running":10,"retrying":2,"succeeded":5230,"failed":3,"cancelled":0},
          "oldestReadyAgeMs":187000,"throughput":{"lastMinute":2980,"lastHour":5233},
          "attemptDurationMs":{"p50":18000,"p95":25000,"p99":29000},"attemptTimeoutMs":30000,"nearTimeout":true}]}
        """));

    assertThat(table)
        .isEqualTo(
            """
        QUEUE    PAUSED  CONCURRENCY  RATE/S  QUEUED  RUNNING  RETRYING  FAILED  OLDEST READY  DONE/MIN   P95
        default  no                -       -       0        1         0       0             -         9  45ms
        emails   yes              10     0.5    1200       10         2       3         3m07s      2980   25s  near timeout: p95 past 70% of 30s
        """);
  }

  @Test
  void says_when_there_is_no_queue_yet() throws Exception {
    assertThat(QueueTable.render(JSON.readTree("{\"queues\":[]}")))
        .endsWith(
            "\nno queues yet: a queue appears with its first task or its first 'offload queues set'\n");
  }

  @Test
  void durations_are_short_and_exact_enough_to_compare() {
    assertThat(QueueTable.duration(NullNode.getInstance())).isEqualTo("-");
    assertThat(QueueTable.duration(LongNode.valueOf(850))).isEqualTo("850ms");
    assertThat(QueueTable.duration(LongNode.valueOf(4_270))).isEqualTo("4.2s");
    assertThat(QueueTable.duration(LongNode.valueOf(42_000))).isEqualTo("42s");
    assertThat(QueueTable.duration(LongNode.valueOf(7_500_000))).isEqualTo("2h05m");
    assertThat(QueueTable.duration(LongNode.valueOf(97_200_000))).isEqualTo("1d03h");
  }
}
