package dev.offload.queue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.offload.queue.QueueInfo.AttemptDurations;
import dev.offload.queue.QueueInfo.Throughput;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QueueInfoTest {
  @Test
  void near_timeout_means_p95_past_70_percent_of_the_timeout_and_is_false_when_either_is_unknown() {
    assertThat(queue(700L, 1_000L, 20).nearTimeout()).as("exactly 70 %").isFalse();
    assertThat(queue(701L, 1_000L, 20).nearTimeout()).isTrue();
    assertThat(queue(5_000L, 1_000L, 20).nearTimeout()).isTrue();
    assertThat(queue(null, 1_000L, 0).nearTimeout()).as("no attempts").isFalse();
    assertThat(queue(5_000L, null, 20).nearTimeout()).as("no timeout").isFalse();
  }

  @Test
  void near_timeout_needs_a_sample_of_20_finished_attempts() {
    assertThat(queue(30_000L, 40_000L, 1).nearTimeout()).as("one slow call").isFalse();
    assertThat(queue(30_000L, 40_000L, 19).nearTimeout()).isFalse();
    assertThat(queue(30_000L, 40_000L, 20).nearTimeout()).isTrue();
  }

  private static QueueInfo queue(Long p95, Long timeoutMs, int samples) {
    return new QueueInfo(
        "q",
        QueueSettings.NONE,
        Map.of(),
        0,
        null,
        new Throughput(0, 0),
        new AttemptDurations(p95 == null ? null : 1L, p95, p95),
        timeoutMs,
        samples);
  }
}
