package dev.offload.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CommitPaceTest {
  private long now = 1_000_000;
  private final List<Long> slept = new ArrayList<>();

  private CommitPace pace(Duration interval) {
    return new CommitPace(
        interval,
        () -> now,
        nanos -> {
          slept.add(nanos);
          now += nanos;
        });
  }

  @Test
  void the_first_transaction_and_one_after_an_idle_interval_begin_at_once() throws Exception {
    CommitPace pace = pace(Duration.ofMillis(3));
    pace.awaitTurn();
    now += Duration.ofMillis(5).toNanos();
    pace.awaitTurn();
    assertThat(slept).isEmpty();
  }

  @Test
  void back_to_back_transactions_begin_an_interval_apart() throws Exception {
    CommitPace pace = pace(Duration.ofMillis(3));
    pace.awaitTurn();
    now += Duration.ofMillis(1).toNanos();
    pace.awaitTurn();
    pace.awaitTurn();
    assertThat(slept)
        .containsExactly(Duration.ofMillis(2).toNanos(), Duration.ofMillis(3).toNanos());
  }

  @Test
  void a_zero_interval_never_waits() throws Exception {
    CommitPace pace = pace(Duration.ZERO);
    pace.awaitTurn();
    pace.awaitTurn();
    assertThat(slept).isEmpty();
  }

  @Test
  void a_negative_interval_is_refused() {
    assertThatThrownBy(() -> pace(Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("interval must be >= 0");
  }
}
