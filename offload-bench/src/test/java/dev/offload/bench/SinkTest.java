package dev.offload.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SinkTest {
  @Test
  void reads_the_intended_send_time_from_the_payload_however_it_is_spaced() {
    assertThat(Sink.intendedSendTime("{\"t\":123456789}")).hasValue(123456789);
    assertThat(Sink.intendedSendTime("{ \"t\" : -42 }")).hasValue(-42);
    assertThat(Sink.intendedSendTime(TaskBodies.intendedAt(Long.MIN_VALUE)))
        .hasValue(Long.MIN_VALUE);
  }

  @Test
  void a_payload_without_a_send_time_records_no_latency() {
    assertThat(Sink.intendedSendTime("{\"n\":1}")).isEmpty();
    assertThat(Sink.intendedSendTime("{\"t\":\"soon\"}")).isEmpty();
    assertThat(Sink.intendedSendTime("")).isEmpty();
  }
}
