package dev.offload.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Tuple;

/**
 * Arbitrary JSON trees for the parser properties: every kind of value, numbers past any integer
 * type, strings with control characters, and object keys that are mostly the names a parser knows.
 */
final class JsonTrees {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /** Values a field might plausibly hold, so that valid and nearly valid requests come up often. */
  private static final List<String> PLAUSIBLE =
      List.of(
          "http://127.0.0.1:9/x",
          "https://example.com/a?b=c",
          "ftp://x",
          "",
          " ",
          "30s",
          "0ms",
          "PT1H",
          "400d",
          "2026-12-01T09:00:00Z",
          "exponential",
          "linear",
          "fixed",
          "none",
          "POST",
          "get",
          "FETCH",
          "q",
          "a b",
          "send-email",
          "text/csv",
          "text/csv\r\nX: 1",
          "@daily",
          "0 * * * *",
          "@every 30s",
          "Europe/Berlin",
          "allow",
          "skip",
          "latest",
          "'; DROP TABLE tasks;--",
          "\u0000",
          "\ud800");

  private JsonTrees() {}

  /**
   * Trees up to {@code depth} levels deep whose object keys come from {@code keys} (or anything,
   * now and then).
   */
  static Arbitrary<JsonNode> trees(List<String> keys, int depth) {
    Arbitrary<String> key =
        Arbitraries.frequencyOf(
            Tuple.of(4, Arbitraries.of(keys)), Tuple.of(1, Arbitraries.strings().ofMaxLength(8)));
    return Arbitraries.recursive(
        JsonTrees::leaves,
        inner ->
            Arbitraries.oneOf(
                leaves(),
                inner
                    .list()
                    .ofMaxSize(3)
                    .map(
                        items -> {
                          ArrayNode array = NODES.arrayNode();
                          array.addAll(items);
                          return array;
                        }),
                Arbitraries.maps(key, inner)
                    .ofMaxSize(5)
                    .map(
                        fields -> {
                          ObjectNode object = NODES.objectNode();
                          fields.forEach(object::set);
                          return object;
                        })),
        0,
        depth);
  }

  static Arbitrary<JsonNode> leaves() {
    return Arbitraries.oneOf(
        Arbitraries.just(NODES.nullNode()),
        Arbitraries.of(true, false).map(NODES::booleanNode),
        Arbitraries.integers().between(-5, 200).map(NODES::numberNode),
        Arbitraries.longs().map(NODES::numberNode),
        Arbitraries.bigIntegers()
            .between(BigInteger.TWO.pow(130).negate(), BigInteger.TWO.pow(130))
            .map(NODES::numberNode),
        Arbitraries.doubles().map(NODES::numberNode),
        Arbitraries.of(Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0, 1e300)
            .map(NODES::numberNode),
        Arbitraries.strings().ofMaxLength(40).map(NODES::textNode),
        Arbitraries.of(PLAUSIBLE).map(NODES::textNode));
  }
}
