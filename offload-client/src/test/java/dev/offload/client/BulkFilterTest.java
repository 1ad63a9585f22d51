package dev.offload.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class BulkFilterTest {

  @Test
  void writes_only_the_fields_given_with_the_metadata_sorted_and_reads_them_back()
      throws Exception {
    BulkFilter filter =
        BulkFilter.builder()
            .queue("emails")
            .status(TaskStatus.FAILED)
            .createdAfter(Instant.parse("2026-01-02T03:04:05Z"))
            .lastErrorContains("HTTP 503")
            .metadata("tenant", "t9")
            .metadata("customer", "c7")
            .build();

    String json = filter.toJson().toString();

    assertThat(json)
        .isEqualTo(
            "{\"queue\":\"emails\",\"status\":\"failed\",\"createdAfter\":\"2026-01-02T03:04:05Z\","
                + "\"lastErrorContains\":\"HTTP 503\",\"metadata\":{\"customer\":\"c7\",\"tenant\":\"t9\"}}");
    assertThat(BulkFilter.from(Json.parse(json))).isEqualTo(filter);
  }

  @Test
  void refuses_a_filter_without_any_field() {
    assertThatThrownBy(() -> BulkFilter.builder().build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least one field");
  }
}
