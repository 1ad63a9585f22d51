package dev.offload.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RetentionTest {
  @Test
  void reads_forever_and_durations_from_a_minute_to_ten_years_and_writes_them_back() {
    assertThat(Retention.parse("forever")).isEqualTo(Retention.FOREVER);
    assertThat(Retention.parse("forever").toString()).isEqualTo("forever");
    assertThat(Retention.parse("1m").duration()).isEqualTo(Duration.ofMinutes(1));
    assertThat(Retention.parse("PT36H").toString()).isEqualTo("36h");
    assertThat(Retention.parse("3650d").toString()).isEqualTo("3650d");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "", "59s", "0s", "3651d", "Forever", "FOREVER", "never", "none", "-1d", "PT-1H", "7 d", "7x"
      })
  void refuses_anything_else_and_says_what_it_expects(String text) {
    assertThatThrownBy(() -> Retention.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(Retention.EXPECTED);
  }

  @Test
  void is_stored_as_milliseconds_with_forever_as_minus_one_and_null_as_null() {
    assertThat(Retention.toStored(null)).isNull();
    assertThat(Retention.toStored(Retention.FOREVER)).isEqualTo(-1L);
    assertThat(Retention.toStored(Retention.of(Duration.ofDays(7)))).isEqualTo(604_800_000L);
    assertThat(Retention.fromStored(-1L)).isEqualTo(Retention.FOREVER);
    assertThat(Retention.fromStored(604_800_000L)).isEqualTo(Retention.of(Duration.ofDays(7)));
    assertThat(Retention.fromStored(null)).isNull();
  }
}
