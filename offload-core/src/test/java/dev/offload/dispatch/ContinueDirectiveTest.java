package dev.offload.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.offload.dispatch.ContinueDirective.Kind;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ContinueDirectiveTest {
  @Test
  void empty_calls_again_at_once() {
    assertThat(ContinueDirective.parse(""))
        .isEqualTo(new ContinueDirective(Kind.NOW, Duration.ZERO));
    assertThat(ContinueDirective.parse("  "))
        .isEqualTo(new ContinueDirective(Kind.NOW, Duration.ZERO));
  }

  @Test
  void after_and_await_take_a_duration_up_to_365_days() {
    assertThat(ContinueDirective.parse("after=30s"))
        .isEqualTo(new ContinueDirective(Kind.AFTER, Duration.ofSeconds(30)));
    assertThat(ContinueDirective.parse(" await = PT2H "))
        .isEqualTo(new ContinueDirective(Kind.AWAIT, Duration.ofHours(2)));
    assertThat(ContinueDirective.parse("await=365d"))
        .isEqualTo(new ContinueDirective(Kind.AWAIT, Duration.ofDays(365)));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"after=soon", "later", "await=366d", "after", "after=", "sleep=1s", "after=-1s"})
  void anything_else_is_refused_quoting_the_value(String value) {
    assertThatThrownBy(() -> ContinueDirective.parse(value))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("\"" + value + "\"");
  }
}
