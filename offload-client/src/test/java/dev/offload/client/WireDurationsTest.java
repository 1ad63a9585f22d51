package dev.offload.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class WireDurationsTest {

  @Test
  void formats_each_duration_in_its_largest_exact_unit() {
    assertThat(WireDurations.format(Duration.ofMillis(250))).isEqualTo("250ms");
    assertThat(WireDurations.format(Duration.ofSeconds(30))).isEqualTo("30s");
    assertThat(WireDurations.format(Duration.ofSeconds(90))).isEqualTo("90s");
    assertThat(WireDurations.format(Duration.ofMinutes(10))).isEqualTo("10m");
    assertThat(WireDurations.format(Duration.ofHours(2))).isEqualTo("2h");
    assertThat(WireDurations.format(Duration.ofDays(1))).isEqualTo("1d");
    assertThat(WireDurations.format(Duration.ofMillis(1_500))).isEqualTo("1500ms");
    assertThat(WireDurations.format(Duration.ZERO)).isEqualTo("0s");
  }

  @Test
  void falls_back_to_iso_8601_for_what_the_short_form_cannot_hold() {
    assertThat(WireDurations.format(Duration.ofNanos(500))).isEqualTo("PT0.0000005S");
    assertThat(WireDurations.format(Duration.ofMillis(1_234_567_891))).isEqualTo("PT342H56M7.891S");
  }

  @Test
  void reads_back_what_it_writes_and_what_the_server_writes() {
    for (Duration d :
        new Duration[] {
          Duration.ofMillis(250),
          Duration.ofSeconds(90),
          Duration.ofHours(2),
          Duration.ofDays(3),
          Duration.ofNanos(500),
          Duration.ofMillis(1_234_567_891)
        }) {
      assertThat(WireDurations.parse(WireDurations.format(d))).isEqualTo(d);
    }
    assertThat(WireDurations.parse("PT10M")).isEqualTo(Duration.ofMinutes(10));
    assertThat(WireDurations.parse(null)).isNull();
  }

  @Test
  void rejects_negative_durations() {
    assertThatThrownBy(() -> WireDurations.format(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must not be negative");
  }
}
