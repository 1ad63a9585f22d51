package dev.offload.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CappedBodyListenerTest {
  @Test
  void a_json_response_is_kept_as_json_whatever_its_top_level_value() {
    assertThat(CappedBodyListener.isJson("application/json", "{\"pdf\":{\"pages\":[1,2]}}"))
        .isTrue();
    assertThat(CappedBodyListener.isJson("application/json; charset=utf-8", "[1, 2]")).isTrue();
    assertThat(CappedBodyListener.isJson("application/problem+json", "\"done\"")).isTrue();
    assertThat(CappedBodyListener.isJson("Application/JSON", " 42 ")).isTrue();
  }

  @Test
  void a_body_that_is_not_exactly_one_json_value_is_kept_as_text() {
    assertThat(CappedBodyListener.isJson("application/json", "{\"a\":1} trailing")).isFalse();
    assertThat(CappedBodyListener.isJson("application/json", "{\"a\":1}{\"b\":2}")).isFalse();
    assertThat(CappedBodyListener.isJson("application/json", "{\"a\":")).isFalse();
    assertThat(CappedBodyListener.isJson("application/json", "not json")).isFalse();
    assertThat(CappedBodyListener.isJson("application/json", "  ")).isFalse();
  }

  @Test
  void a_body_without_a_json_content_type_is_kept_as_text() {
    assertThat(CappedBodyListener.isJson("text/plain", "{\"a\":1}")).isFalse();
    assertThat(CappedBodyListener.isJson(null, "{\"a\":1}")).isFalse();
  }
}
