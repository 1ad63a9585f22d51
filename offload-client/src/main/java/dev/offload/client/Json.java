package dev.offload.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * The one mapper of the client and typed reads of answer fields. Jackson modules on the class path
 * (such as {@code jackson-datatype-jsr310}) are registered, so payloads may hold {@code java.time}
 * values when the application has that module. Map entries are written sorted by key, so the same
 * map is the same JSON text in every JVM (the server compares that text for idempotency keys, and
 * {@code Map.of} iterates in a different order in each JVM).
 */
final class Json {
  static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .findAndAddModules()
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
          .build();

  private Json() {}

  static JsonNode parse(String text) throws JsonProcessingException {
    return MAPPER.readTree(text);
  }

  /**
   * Any value as a JSON tree; throws {@link IllegalArgumentException} when Jackson cannot write it.
   */
  static JsonNode tree(Object value) {
    if (value == null) return NullNode.getInstance();
    return MAPPER.valueToTree(value);
  }

  /** Reads {@code node} as {@code type}; null for a JSON null. */
  static <T> T convert(JsonNode node, Class<T> type) {
    if (node == null || node.isNull() || node.isMissingNode()) return null;
    try {
      return MAPPER.treeToValue(node, type);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "cannot read "
              + abbreviate(node)
              + " as "
              + type.getName()
              + ": "
              + e.getOriginalMessage(),
          e);
    }
  }

  static String text(JsonNode object, String field) {
    JsonNode node = object.get(field);
    return node == null || node.isNull() ? null : node.asText();
  }

  static String requiredText(JsonNode object, String field) {
    String text = text(object, field);
    if (text == null)
      throw new IllegalArgumentException(
          "the answer has no \"" + field + "\": " + abbreviate(object));
    return text;
  }

  static Integer integer(JsonNode object, String field) {
    JsonNode node = object.get(field);
    return node == null || node.isNull() ? null : node.asInt();
  }

  static Long longValue(JsonNode object, String field) {
    JsonNode node = object.get(field);
    return node == null || node.isNull() ? null : node.asLong();
  }

  /** The field as a tree; a {@link NullNode} when absent or null, never Java null. */
  static JsonNode node(JsonNode object, String field) {
    JsonNode node = object.get(field);
    return node == null ? NullNode.getInstance() : node;
  }

  static Instant instant(JsonNode object, String field) {
    String text = text(object, field);
    if (text == null) return null;
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          "\"" + field + "\" is not an RFC 3339 instant: " + text, e);
    }
  }

  static List<String> texts(JsonNode array) {
    List<String> values = new ArrayList<>();
    if (array != null) array.forEach(item -> values.add(item.asText()));
    return List.copyOf(values);
  }

  static String abbreviate(JsonNode node) {
    String text = String.valueOf(node);
    return text.length() <= 200 ? text : text.substring(0, 200) + "…";
  }
}
