package dev.offload.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.offload.task.Durations;
import dev.offload.task.Retention;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Typed, collecting reads of one JSON object: each bad field adds a {@link FieldError} named by its
 * path, so one answer lists every problem of a request, and a null result means absent or invalid.
 */
final class JsonFields {
  static final int MAX_URL_LENGTH = 2_048;

  /** Text PostgreSQL can store: no NUL (U+0000), which its text type refuses. */
  static final Pattern NO_NUL = Pattern.compile("[^\\x00]*");

  static final String NO_NUL_RULE = "must not contain NUL (U+0000) characters";

  /** Text that is safe in a header or a log line: no control characters (tab aside). */
  static final Pattern NO_CONTROL = Pattern.compile("[^\\x00-\\x08\\x0a-\\x1f\\x7f]*");

  static final String NO_CONTROL_RULE = "must not contain control characters";

  private final ObjectNode object;
  private final String path;
  private final List<FieldError> errors;

  JsonFields(ObjectNode object, String path, List<FieldError> errors) {
    this.object = object;
    this.path = path;
    this.errors = errors;
  }

  String pathOf(String field) {
    return path.isEmpty() ? field : path + "." + field;
  }

  void error(String field, String message) {
    errors.add(new FieldError(pathOf(field), message));
  }

  boolean has(String field) {
    JsonNode node = object.get(field);
    return node != null && !node.isNull();
  }

  JsonNode node(String field) {
    return has(field) ? object.get(field) : null;
  }

  void rejectUnknown(Set<String> known) {
    for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!known.contains(name))
        error(name, "unknown field; expected one of " + known.stream().sorted().toList());
    }
  }

  String string(String field, int maxLength, Pattern shape, String shapeMessage) {
    JsonNode node = node(field);
    if (node == null) return null;
    if (!node.isTextual()) {
      error(field, "must be a string");
      return null;
    }
    String value = node.textValue();
    if (value.isEmpty() || value.length() > maxLength) {
      error(field, "must be 1 to " + maxLength + " characters long");
      return null;
    }
    if (shape != null && !shape.matcher(value).matches()) {
      error(field, shapeMessage);
      return null;
    }
    return value;
  }

  Integer integer(String field, int min, int max) {
    JsonNode node = node(field);
    if (node == null) return null;
    if (!node.isIntegralNumber()
        || !node.canConvertToInt()
        || node.intValue() < min
        || node.intValue() > max) {
      error(field, "must be a whole number from " + min + " to " + max);
      return null;
    }
    return node.intValue();
  }

  Double number(String field, double min, double max) {
    JsonNode node = node(field);
    if (node == null) return null;
    if (!node.isNumber() || !(node.doubleValue() >= min) || !(node.doubleValue() <= max)) {
      error(field, "must be a number from " + min + " to " + max);
      return null;
    }
    return node.doubleValue();
  }

  Boolean bool(String field) {
    JsonNode node = node(field);
    if (node == null) return null;
    if (!node.isBoolean()) {
      error(field, "must be true or false");
      return null;
    }
    return node.booleanValue();
  }

  Duration duration(String field, Duration min, Duration max) {
    return parsed(
        field,
        text -> {
          Duration value = Durations.parse(text);
          if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            throw new IllegalArgumentException(
                "must be from "
                    + Durations.format(min)
                    + " to "
                    + Durations.format(max)
                    + ", got "
                    + text);
          }
          return value;
        });
  }

  /** {@code "forever"} or a duration within {@link Retention}'s bounds. */
  Retention retention(String field) {
    return parsed(field, Retention::parse);
  }

  Instant instant(String field) {
    return parsed(
        field,
        text -> {
          try {
            return Instant.parse(text);
          } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(
                "must be an RFC 3339 UTC time such as \"2026-12-01T09:00:00Z\"");
          }
        });
  }

  /** An absolute http(s) URL with a host. */
  URI url(String field) {
    return parsed(
        field,
        text -> {
          if (text.length() > MAX_URL_LENGTH)
            throw new IllegalArgumentException("must be at most " + MAX_URL_LENGTH + " characters");
          try {
            URI uri = new URI(text);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase();
            if (!scheme.equals("http") && !scheme.equals("https")) {
              throw new IllegalArgumentException(
                  "must be an absolute http or https URL, got \"" + text + "\"");
            }
            if (uri.getHost() == null || uri.getHost().isEmpty()) {
              throw new IllegalArgumentException("must name a host, got \"" + text + "\"");
            }
            if (uri.getUserInfo() != null)
              throw new IllegalArgumentException("must not carry user:password; use headers");
            return uri;
          } catch (URISyntaxException e) {
            throw new IllegalArgumentException("is not a valid URL: " + e.getMessage());
          }
        });
  }

  private <T> T parsed(String field, Function<String, T> parser) {
    JsonNode node = node(field);
    if (node == null) return null;
    if (!node.isTextual()) {
      error(field, "must be a string");
      return null;
    }
    try {
      return parser.apply(node.textValue());
    } catch (IllegalArgumentException e) {
      error(field, e.getMessage());
      return null;
    }
  }

  ObjectNode object(String field) {
    JsonNode node = node(field);
    if (node == null) return null;
    if (!node.isObject()) {
      error(field, "must be a JSON object");
      return null;
    }
    return (ObjectNode) node;
  }

  List<FieldError> errors() {
    return errors;
  }
}
