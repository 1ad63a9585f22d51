package dev.offload.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.offload.task.Backoff.Type;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BackoffTest {
  private static Backoff exact(Type type, Duration initial, Duration max, double factor) {
    return new Backoff(type, initial, max, factor, false);
  }

  private static List<Duration> firstDelays(Backoff backoff, int count) {
    List<Duration> delays = new ArrayList<>();
    for (int n = 1; n <= count; n++) delays.add(backoff.delay(n, new Random(1)));
    return delays;
  }

  @Test
  void exponential_waits_initial_times_factor_to_the_power_of_retry_minus_one() {
    Backoff backoff = exact(Type.EXPONENTIAL, Duration.ofSeconds(1), Duration.ofHours(1), 2.0);

    assertThat(firstDelays(backoff, 5))
        .containsExactly(
            Duration.ofSeconds(1),
            Duration.ofSeconds(2),
            Duration.ofSeconds(4),
            Duration.ofSeconds(8),
            Duration.ofSeconds(16));
  }

  @Test
  void exponential_uses_the_configured_factor() {
    Backoff backoff = exact(Type.EXPONENTIAL, Duration.ofMillis(100), Duration.ofHours(1), 3.0);

    assertThat(firstDelays(backoff, 4))
        .containsExactly(
            Duration.ofMillis(100),
            Duration.ofMillis(300),
            Duration.ofMillis(900),
            Duration.ofMillis(2700));
  }

  @Test
  void linear_waits_initial_times_retry_number() {
    Backoff backoff = exact(Type.LINEAR, Duration.ofSeconds(5), Duration.ofHours(1), 2.0);

    assertThat(firstDelays(backoff, 4))
        .containsExactly(
            Duration.ofSeconds(5),
            Duration.ofSeconds(10),
            Duration.ofSeconds(15),
            Duration.ofSeconds(20));
  }

  @Test
  void fixed_waits_initial_every_time() {
    Backoff backoff = exact(Type.FIXED, Duration.ofSeconds(7), Duration.ofHours(1), 2.0);

    assertThat(firstDelays(backoff, 4)).containsOnly(Duration.ofSeconds(7));
  }

  @Test
  void exponential_is_capped_at_max() {
    Backoff backoff = exact(Type.EXPONENTIAL, Duration.ofSeconds(1), Duration.ofSeconds(10), 2.0);

    assertThat(firstDelays(backoff, 6))
        .containsExactly(
            Duration.ofSeconds(1),
            Duration.ofSeconds(2),
            Duration.ofSeconds(4),
            Duration.ofSeconds(8),
            Duration.ofSeconds(10),
            Duration.ofSeconds(10));
  }

  @Test
  void linear_is_capped_at_max() {
    Backoff backoff = exact(Type.LINEAR, Duration.ofSeconds(30), Duration.ofMinutes(1), 2.0);

    assertThat(backoff.nominalDelay(3)).isEqualTo(Duration.ofMinutes(1));
  }

  @Test
  void a_huge_retry_number_waits_max_instead_of_overflowing() {
    Backoff backoff = exact(Type.EXPONENTIAL, Duration.ofSeconds(1), Duration.ofHours(1), 2.0);

    assertThat(backoff.nominalDelay(10_000)).isEqualTo(Duration.ofHours(1));
    assertThat(
            exact(Type.LINEAR, Duration.ofSeconds(1), Duration.ofHours(1), 2.0)
                .nominalDelay(Integer.MAX_VALUE))
        .isEqualTo(Duration.ofHours(1));
  }

  @Test
  void jitter_stays_within_half_and_full_delay() {
    Backoff backoff =
        new Backoff(Type.EXPONENTIAL, Duration.ofSeconds(1), Duration.ofHours(1), 2.0, true);
    Random random = new Random(20260101L);

    for (int n = 1; n <= 15; n++) {
      long full = backoff.nominalDelay(n).toMillis();
      Set<Long> seen = new HashSet<>();
      for (int draw = 0; draw < 500; draw++) {
        long ms = backoff.delay(n, random).toMillis();
        assertThat(ms).as("retry %d, nominal %dms", n, full).isBetween(full / 2, full);
        seen.add(ms);
      }
      assertThat(seen).as("jitter spreads retry %d", n).hasSizeGreaterThan(100);
    }
  }

  @Test
  void jitter_reaches_both_ends_of_its_range() {
    Backoff backoff =
        new Backoff(Type.FIXED, Duration.ofMillis(10), Duration.ofMillis(10), 1.0, true);
    Random random = new Random(7);
    Set<Long> seen = new HashSet<>();

    for (int draw = 0; draw < 1_000; draw++) seen.add(backoff.delay(1, random).toMillis());

    assertThat(seen).containsExactlyInAnyOrder(5L, 6L, 7L, 8L, 9L, 10L);
  }

  @Test
  void jitter_with_the_same_seed_gives_the_same_delays() {
    Backoff backoff = Backoff.DEFAULT;

    List<Duration> first = new ArrayList<>();
    List<Duration> second = new ArrayList<>();
    Random a = new Random(42);
    Random b = new Random(42);
    for (int n = 1; n <= 10; n++) {
      first.add(backoff.delay(n, a));
      second.add(backoff.delay(n, b));
    }

    assertThat(first).isEqualTo(second);
  }

  @Test
  void without_jitter_delay_is_the_nominal_delay() {
    Backoff backoff = exact(Type.EXPONENTIAL, Duration.ofSeconds(1), Duration.ofHours(1), 2.0);

    for (int n = 1; n <= 20; n++) {
      assertThat(backoff.delay(n, new Random(n))).isEqualTo(backoff.nominalDelay(n));
    }
  }

  @Test
  void a_zero_initial_never_waits() {
    Backoff backoff = new Backoff(Type.EXPONENTIAL, Duration.ZERO, Duration.ZERO, 2.0, true);

    assertThat(backoff.delay(5, new Random(1))).isZero();
  }

  @Test
  void defaults_are_one_second_doubling_up_to_one_hour_with_jitter() {
    assertThat(Backoff.of(Type.LINEAR))
        .isEqualTo(new Backoff(Type.LINEAR, Duration.ofSeconds(1), Duration.ofHours(1), 2.0, true));
    assertThat(Backoff.DEFAULT.type()).isEqualTo(Type.EXPONENTIAL);
  }

  @Test
  void retry_numbers_start_at_one() {
    assertThatThrownBy(() -> Backoff.DEFAULT.nominalDelay(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("0");
    assertThatThrownBy(() -> Backoff.DEFAULT.delay(-1, new Random(1)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void rejects_a_missing_type() {
    assertThatThrownBy(
            () -> new Backoff(null, Duration.ofSeconds(1), Duration.ofHours(1), 2.0, true))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("type");
  }

  @Test
  void rejects_a_missing_or_negative_initial() {
    assertThatThrownBy(() -> new Backoff(Type.FIXED, null, Duration.ofHours(1), 2.0, true))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("initial");
    assertThatThrownBy(
            () -> new Backoff(Type.FIXED, Duration.ofMillis(-1), Duration.ofHours(1), 2.0, true))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("initial")
        .hasMessageContaining("PT-0.001S");
  }

  @Test
  void rejects_a_missing_max_or_one_below_initial() {
    assertThatThrownBy(() -> new Backoff(Type.FIXED, Duration.ofSeconds(1), null, 2.0, true))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("max");
    assertThatThrownBy(
            () -> new Backoff(Type.FIXED, Duration.ofSeconds(10), Duration.ofSeconds(5), 2.0, true))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("max")
        .hasMessageContaining("PT10S")
        .hasMessageContaining("PT5S");
  }

  @Test
  void rejects_a_factor_below_one_or_not_finite() {
    for (double factor : new double[] {0.5, 0.0, -2.0, Double.NaN, Double.POSITIVE_INFINITY}) {
      assertThatThrownBy(
              () ->
                  new Backoff(
                      Type.EXPONENTIAL, Duration.ofSeconds(1), Duration.ofHours(1), factor, true))
          .as("factor %s", factor)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("factor");
    }
  }

  @Test
  void accepts_max_equal_to_initial_and_factor_one() {
    Backoff backoff =
        new Backoff(Type.EXPONENTIAL, Duration.ofSeconds(3), Duration.ofSeconds(3), 1.0, false);

    assertThat(backoff.nominalDelay(4)).isEqualTo(Duration.ofSeconds(3));
  }
}
