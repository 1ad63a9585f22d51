package dev.offload.server.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * {@link QueryParams} on arbitrary query strings: values or a 400 naming parameters, and what a
 * client encodes reads back.
 */
class QueryParamsPropertiesTest {
  private static final Set<String> KNOWN = Set.of("queue", "status", "limit", "cursor", "wait");

  @Property(tries = 3_000)
  void any_query_string_is_read_or_refused_with_a_400_naming_parameters(
      @ForAll("queries") String query) {
    try {
      QueryParams params = QueryParams.parse(query, KNOWN);
      KNOWN.forEach(
          name ->
              assertThat(params.filter(name))
                  .satisfiesAnyOf(
                      value -> assertThat(value).isNull(),
                      value -> assertThat(value).isNotEmpty()));
    } catch (ApiException refused) {
      assertThat(refused.status()).isEqualTo(400);
      assertThat(refused.errors())
          .isNotEmpty()
          .allSatisfy(error -> assertThat(error.message()).isNotBlank());
    }
  }

  @Property(tries = 1_000)
  void values_a_client_encodes_read_back_exactly(@ForAll("values") Map<String, String> values) {
    String query =
        values.entrySet().stream()
            .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
            .collect(Collectors.joining("&"));
    QueryParams params = QueryParams.parse(query, KNOWN);
    values.forEach((name, value) -> assertThat(params.get(name)).isEqualTo(value));
  }

  @Property(tries = 500)
  void a_byte_sequence_that_is_not_utf_8_is_refused(@ForAll("notUtf8") String escapes) {
    assertThatThrownBy(() -> QueryParams.parse("queue=" + escapes, KNOWN))
        .isInstanceOfSatisfying(
            ApiException.class,
            refused ->
                assertThat(refused.errors())
                    .singleElement()
                    .satisfies(error -> assertThat(error.field()).isEqualTo("queue")));
  }

  @Provide
  Arbitrary<String> queries() {
    Arbitrary<String> soup =
        Arbitraries.strings().withChars("quetsalimwcr=&%+;#?09AFaf\u00e9\u00ff ").ofMaxLength(40);
    return Arbitraries.oneOf(soup, Arbitraries.strings().ofMaxLength(40));
  }

  @Provide
  Arbitrary<Map<String, String>> values() {
    Arbitrary<String> text =
        Arbitraries.strings()
            .withCharRange('\u0000', '\ud7ff')
            .withCharRange('\ue000', '\ufffd')
            .ofMaxLength(30);
    return Arbitraries.maps(Arbitraries.of(KNOWN), text).ofMaxSize(KNOWN.size());
  }

  /**
   * Overlong forms, encoded surrogates, stray continuation bytes, truncated sequences, bytes no
   * UTF-8 uses.
   */
  @Provide
  Arbitrary<String> notUtf8() {
    return Arbitraries.of(
            "%C0%AF",
            "%C1%BF",
            "%E0%80%AF",
            "%F0%80%80%AF",
            "%ED%A0%80",
            "%ED%BF%BF",
            "%80",
            "%BF",
            "%C3",
            "%E2%82",
            "%F0%9F%98",
            "%F8%88%80%80%80",
            "%FE",
            "%FF",
            "%F4%90%80%80")
        .flatMap(bad -> Arbitraries.strings().alpha().ofMaxLength(5).map(prefix -> prefix + bad));
  }
}
