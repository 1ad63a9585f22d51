package dev.offload.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ReportTableTest {
  @Test
  void prints_value_baseline_and_ratio_in_a_markdown_table() {
    Figure rate = Figure.of("w2", "sqlite", "end to end", "tasks/s", 1500.0).against(3000, "req/s");
    Figure missing =
        Figure.of("w4", "sqlite", "until all in flight", "s", null).against(2, "s to send");

    String table = ReportTable.render(List.of(rate, missing));

    assertThat(table.lines().toList()).hasSize(4);
    assertThat(table.lines().toList().get(0))
        .matches("\\| workload +\\| store +\\| figure +\\| +value \\| +baseline \\| +ratio \\|");
    assertThat(table)
        .contains("| 1,500 tasks/s |")
        .contains("| 3,000 req/s |")
        .contains("| 0.50× |");
    assertThat(table).containsPattern("\\| +not reached \\|");
  }

  @Test
  void a_figure_has_no_ratio_without_a_value_or_baseline() {
    assertThat(Figure.of("w2", "sqlite", "calls beyond one a task", "calls", 0.0).ratio()).isNull();
    assertThat(Figure.of("w4", "sqlite", "until all in flight", "s", null).against(2, "s").ratio())
        .isNull();
    assertThat(Figure.of("w3", "sqlite", "p99", "ms", 30.0).against(3, "ms").ratio())
        .isEqualTo(10.0);
  }

  @Test
  void durations_read_as_the_api_writes_them() {
    assertThat(DurationText.parse("30s")).hasSeconds(30);
    assertThat(DurationText.parse("250ms")).hasMillis(250);
    assertThat(DurationText.parse("PT2M")).hasMinutes(2);
    assertThat(DurationText.format(DurationText.parse("2m"))).isEqualTo("120s");
  }
}
