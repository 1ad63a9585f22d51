package dev.offload.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class PaceOfBatchesTest {
  private static final long TARGET = Duration.ofMillis(20).toNanos();
  private final PaceOfBatches pace = new PaceOfBatches(10, 1_000, Duration.ofMillis(20));

  @Test
  void starts_small_and_doubles_after_quick_full_batches_up_to_the_largest() {
    assertThat(pace.size()).isEqualTo(10);
    for (int i = 0; i < 20; i++) pace.took(TARGET / 4, pace.size());
    assertThat(pace.size()).isEqualTo(1_000);
  }

  @Test
  void halves_after_a_slow_batch_down_to_the_smallest() {
    for (int i = 0; i < 6; i++) pace.took(TARGET / 4, pace.size());
    assertThat(pace.size()).isEqualTo(640);
    pace.took(TARGET * 3, 640);
    assertThat(pace.size()).isEqualTo(320);
    for (int i = 0; i < 20; i++) pace.took(TARGET * 3, pace.size());
    assertThat(pace.size()).isEqualTo(10);
  }

  @Test
  void keeps_its_size_near_the_target_and_after_a_short_batch() {
    pace.took(TARGET / 4, 10);
    pace.took(TARGET * 3 / 4, 20);
    assertThat(pace.size()).isEqualTo(20);
    pace.took(TARGET / 10, 3);
    assertThat(pace.size()).as("a short batch says nothing about a full one's time").isEqualTo(20);
  }

  @Test
  void refuses_bounds_that_cannot_hold_a_batch() {
    assertThatThrownBy(() -> new PaceOfBatches(0, 10, Duration.ofMillis(20)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new PaceOfBatches(20, 10, Duration.ofMillis(20)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
