package dev.offload.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class QueueSettingsChangeTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final LimitConverter LIMIT = new LimitConverter();
  private static final String LIMITED =
      """
      {"name":"mail","paused":true,"concurrency":3,"ratePerSecond":0.5,"burst":2,"counts":{"queued":4},"nearTimeout":false}""";

  @Test
  void keeps_every_setting_not_given_and_drops_the_figures() throws Exception {
    JsonNode body =
        new QueueSettingsChange(LIMIT.convert("5"), null, null, null, null, null)
            .applyTo(JSON.readTree(LIMITED));

    assertThat(body.toString())
        .isEqualTo("{\"concurrency\":5,\"ratePerSecond\":0.5,\"burst\":2,\"paused\":true}");
  }

  @Test
  void none_removes_a_limit_and_the_burst_goes_with_the_rate() throws Exception {
    JsonNode body =
        new QueueSettingsChange(
                LIMIT.convert("none"), LIMIT.convert("NONE"), null, null, null, null)
            .applyTo(JSON.readTree(LIMITED));

    assertThat(body.toString())
        .isEqualTo("{\"concurrency\":null,\"ratePerSecond\":null,\"paused\":true}");
  }

  @Test
  void pausing_keeps_the_limits() throws Exception {
    JsonNode body = QueueSettingsChange.pausing(false).applyTo(JSON.readTree(LIMITED));

    assertThat(body.toString())
        .isEqualTo("{\"concurrency\":3,\"ratePerSecond\":0.5,\"burst\":2,\"paused\":false}");
  }

  @Test
  void
      a_queue_never_used_starts_without_limits_and_a_burst_without_a_rate_is_sent_for_the_server_to_refuse() {
    JsonNode body =
        new QueueSettingsChange(null, null, 4, null, null, null).applyTo(JSON.createObjectNode());

    assertThat(body.toString())
        .isEqualTo("{\"concurrency\":null,\"ratePerSecond\":null,\"burst\":4,\"paused\":false}");
  }

  @Test
  void keeps_the_queue_retentions_and_changes_or_clears_one() throws Exception {
    JsonNode queue =
        JSON.readTree(
            """
        {"name":"mail","paused":false,"concurrency":null,"ratePerSecond":null,"retainSucceeded":"2d","retainFailed":"forever"}""");
    RetentionSettingConverter retention = new RetentionSettingConverter();

    assertThat(
            new QueueSettingsChange(LIMIT.convert("4"), null, null, null, null, null)
                .applyTo(queue)
                .toString())
        .isEqualTo(
            "{\"concurrency\":4,\"ratePerSecond\":null,\"paused\":false,\"retainSucceeded\":\"2d\",\"retainFailed\":\"forever\"}");
    assertThat(
            new QueueSettingsChange(
                    null,
                    null,
                    null,
                    null,
                    retention.convert("PT12H"),
                    retention.convert("default"))
                .applyTo(queue)
                .toString())
        .isEqualTo(
            "{\"concurrency\":null,\"ratePerSecond\":null,\"paused\":false,\"retainSucceeded\":\"12h\",\"retainFailed\":null}");
    assertThatThrownBy(() -> retention.convert("30s"))
        .isInstanceOf(CommandLine.TypeConversionException.class)
        .hasMessageContaining("'30s' must be \"forever\" or a duration");
  }

  @Test
  void a_limit_is_a_number_as_typed_or_none() {
    assertThat(LIMIT.convert("100").toString()).isEqualTo("100");
    assertThat(LIMIT.convert(" 2.50 ").toString()).isEqualTo("2.50");
    assertThat(LIMIT.convert("none").isNull()).isTrue();
    assertThatThrownBy(() -> LIMIT.convert("lots"))
        .isInstanceOf(CommandLine.TypeConversionException.class)
        .hasMessage("'lots' is neither a number nor 'none'");
  }
}
