package dev.offload.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {
  @ParameterizedTest
  @CsvSource({
    "250ms, PT0.25S",
    "30s, PT30S",
    "10m, PT10M",
    "2h, PT2H",
    "1d, PT24H",
    "0s, PT0S",
    "PT10M, PT10M",
    "P1D, PT24H",
    "PT0.5S, PT0.5S"
  })
  void reads_short_and_iso_forms(String text, String expected) {
    assertThat(Durations.parse(text)).isEqualTo(Duration.parse(expected));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"", "3x", "-1s", "10 minutes", "1.5s", "s", "1S", "PT-1S", "1234567890s", "1h30m"})
  void rejects_anything_else_with_the_expected_forms_in_the_message(String text) {
    assertThatThrownBy(() -> Durations.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("30s");
  }

  @ParameterizedTest
  @CsvSource({
    "PT0.25S, 250ms",
    "PT30S, 30s",
    "PT10M, 10m",
    "PT2H, 2h",
    "PT48H, 2d",
    "PT0S, 0s",
    "PT90S, 90s"
  })
  void formats_in_the_shortest_form_it_reads_back(String iso, String expected) {
    Duration duration = Duration.parse(iso);
    assertThat(Durations.format(duration)).isEqualTo(expected);
    assertThat(Durations.parse(Durations.format(duration))).isEqualTo(duration);
  }
}
