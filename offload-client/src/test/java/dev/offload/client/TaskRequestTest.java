package dev.offload.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TaskRequestTest {
  record Video(String videoUrl, String format) {}

  private static JsonNode json(String text) throws Exception {
    return Json.parse(text.replace('\'', '"'));
  }

  @Test
  void writes_every_option_as_the_api_reads_it() throws Exception {
    TaskRequest request =
        TaskRequest.builder()
            .callbackUrl("https://video.example.com/transcode")
            .method("PUT")
            .header("Authorization", "Bearer secret")
            .payload(new Video("https://cdn/v.mov", "mp4"))
            .queue("video")
            .delay(Duration.ofSeconds(30))
            .retries(5)
            .backoff(
                Backoff.exponential()
                    .withInitial(Duration.ofMillis(500))
                    .withMax(Duration.ofMinutes(10))
                    .withFactor(3)
                    .withJitter(false))
            .timeout(Duration.ofHours(1))
            .webhookUrl("https://app.example.com/done")
            .idempotencyKey("order-1234")
            .metadata(Map.of("orderId", "1234"))
            .build();

    assertThat(request.toJson())
        .isEqualTo(
            json(
                """
        {'callbackUrl':'https://video.example.com/transcode','method':'PUT',
         'headers':{'Authorization':'Bearer secret'},
         'payload':{'videoUrl':'https://cdn/v.mov','format':'mp4'},
         'queue':'video','delay':'30s','retries':5,
         'backoff':{'type':'exponential','initial':'500ms','max':'10m','factor':3.0,'jitter':false},
         'timeout':'1h','webhookUrl':'https://app.example.com/done','idempotencyKey':'order-1234',
         'metadata':{'orderId':'1234'}}"""));
  }

  @Test
  void a_backoff_with_only_a_type_is_written_as_its_name() throws Exception {
    TaskRequest request =
        TaskRequest.builder()
            .callbackUrl("http://t/x")
            .backoff(Backoff.linear())
            .noTimeout()
            .runAt(Instant.parse("2026-12-01T09:00:00Z"))
            .body("a,b\n1,2", "text/csv")
            .build();

    assertThat(request.toJson())
        .isEqualTo(
            json(
                """
        {'callbackUrl':'http://t/x','backoff':'linear','timeout':'none','runAt':'2026-12-01T09:00:00Z',
         'body':'a,b\\n1,2','contentType':'text/csv'}"""));
  }

  @Test
  void takes_a_raw_json_payload_and_rejects_text_that_is_not_json() throws Exception {
    TaskRequest request =
        TaskRequest.builder().callbackUrl("http://t/x").payloadJson("[1, {\"a\": null}]").build();
    assertThat(request.toJson().get("payload")).isEqualTo(json("[1,{'a':null}]"));

    assertThatThrownBy(() -> TaskRequest.builder().payloadJson("{nope"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not valid JSON");
  }

  @Test
  void refuses_what_no_server_would_take() {
    assertThatThrownBy(() -> TaskRequest.builder().build()).hasMessageContaining("exactly one");
    assertThatThrownBy(
            () -> TaskRequest.builder().callbackUrl("http://t").name("send-email").build())
        .hasMessageContaining("exactly one");
    assertThat(TaskRequest.builder().name("send-email").payload(1).build().toJson().toString())
        .isEqualTo("{\"name\":\"send-email\",\"payload\":1}");
    assertThatThrownBy(
            () -> TaskRequest.builder().callbackUrl("http://t").payload(1).body("x").build())
        .hasMessageContaining("not both");
    assertThatThrownBy(
            () ->
                TaskRequest.builder()
                    .callbackUrl("http://t")
                    .delay(Duration.ofSeconds(1))
                    .runAt(Instant.now())
                    .build())
        .hasMessageContaining("delay or runAt");
    assertThatThrownBy(() -> TaskRequest.builder().delay(Duration.ofSeconds(-1)))
        .hasMessageContaining("negative");
    assertThatThrownBy(() -> TaskRequest.builder().retries(-1)).hasMessageContaining("negative");
    assertThatThrownBy(() -> Backoff.exponential().withFactor(0.5)).hasMessageContaining("factor");
  }

  @Test
  void is_an_immutable_value_that_a_builder_can_derive_from() {
    TaskRequest.Builder builder = TaskRequest.builder().callbackUrl("http://t/x").queue("a");
    TaskRequest first = builder.build();
    builder.queue("b");
    TaskRequest derived = first.toBuilder().idempotencyKey("k").build();

    assertThat(first.toJson().get("queue").asText()).isEqualTo("a");
    assertThat(derived.toJson().get("queue").asText()).isEqualTo("a");
    assertThat(derived.toJson().get("idempotencyKey").asText()).isEqualTo("k");
    assertThat(first)
        .isEqualTo(TaskRequest.builder().callbackUrl("http://t/x").queue("a").build())
        .isNotEqualTo(derived);
  }

  @Test
  void equal_requests_are_equal_json_text_whatever_order_their_options_were_set_in() {
    java.util.Map<String, Object> metadata = new java.util.LinkedHashMap<>();
    metadata.put("z", 1);
    metadata.put("a", java.util.Map.of("y", 1, "b", 2, "m", 3));
    TaskRequest one =
        TaskRequest.builder()
            .callbackUrl("http://t/x")
            .queue("q")
            .header("B", "2")
            .header("A", "1")
            .metadata(metadata)
            .idempotencyKey("k")
            .build();
    TaskRequest two =
        TaskRequest.builder()
            .idempotencyKey("k")
            .metadata(java.util.Map.of("a", java.util.Map.of("m", 3, "b", 2, "y", 1), "z", 1))
            .header("A", "1")
            .header("B", "2")
            .queue("q")
            .callbackUrl("http://t/x")
            .build();

    assertThat(one.toJson().toString())
        .isEqualTo(two.toJson().toString())
        .isEqualTo(
            "{\"callbackUrl\":\"http://t/x\",\"headers\":{\"A\":\"1\",\"B\":\"2\"},\"queue\":\"q\","
                + "\"idempotencyKey\":\"k\",\"metadata\":{\"a\":{\"b\":2,\"m\":3,\"y\":1},\"z\":1}}");
  }

  @Test
  void to_string_hides_header_values() {
    TaskRequest request =
        TaskRequest.builder()
            .callbackUrl("http://t/x")
            .header("Authorization", "Bearer secret")
            .build();

    assertThat(request.toString()).contains("Authorization").doesNotContain("secret");
    assertThat(request.toJson().path("headers").path("Authorization").asText())
        .isEqualTo("Bearer secret");
  }
}
