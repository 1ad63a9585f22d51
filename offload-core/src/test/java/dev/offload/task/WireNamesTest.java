package dev.offload.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The names statuses and outcomes have in the API and in storage, and reading them back. */
class WireNamesTest {
  @Test
  void every_status_reads_back_from_its_wire_name_and_nothing_else_does() {
    for (TaskStatus status : TaskStatus.values()) {
      assertThat(status.wire()).isEqualTo(status.name().toLowerCase(java.util.Locale.ROOT));
      assertThat(TaskStatus.fromWire(status.wire())).contains(status);
    }
    assertThat(TaskStatus.fromWire("RUNNING")).isEmpty();
    assertThat(TaskStatus.fromWire("")).isEmpty();
    assertThat(TaskStatus.fromWire(null)).isEmpty();
  }

  @Test
  void every_outcome_reads_back_from_its_wire_name_and_an_unknown_one_is_refused() {
    for (AttemptOutcome outcome : AttemptOutcome.values()) {
      assertThat(AttemptOutcome.fromWire(outcome.wire())).isSameAs(outcome);
    }
    assertThat(AttemptOutcome.HTTP_ERROR.wire()).isEqualTo("http_error");
    assertThatThrownBy(() -> AttemptOutcome.fromWire("exploded"))
        .hasMessageContaining("unknown attempt outcome: exploded");
  }
}
