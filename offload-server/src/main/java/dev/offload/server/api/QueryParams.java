package dev.offload.server.api;

import io.javalin.http.Context;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The query string read strictly: a malformed escape, bytes that are not UTF-8 (overlong forms and
 * encoded surrogates included), a parameter given twice or one the route does not know is a 400
 * naming it, rather than a silently unfiltered answer.
 */
final class QueryParams {
  private final Map<String, String> values;

  private QueryParams(Map<String, String> values) {
    this.values = values;
  }

  static QueryParams parse(Context ctx, Set<String> known) {
    return parse(ctx.queryString(), known);
  }

  /**
   * Reads {@code query} (raw, as after the {@code ?}); throws a 400 {@link ApiException} naming
   * each bad parameter.
   */
  static QueryParams parse(String query, Set<String> known) {
    Map<String, String> values = new HashMap<>();
    List<FieldError> errors = new ArrayList<>();
    if (query != null && !query.isEmpty()) {
      for (String pair : query.split("&")) {
        if (pair.isEmpty()) continue;
        int eq = pair.indexOf('=');
        String rawName = eq < 0 ? pair : pair.substring(0, eq);
        String name = decode(rawName);
        String value = decode(eq < 0 ? "" : pair.substring(eq + 1));
        String field = name == null ? rawName : name;
        if (name == null || value == null)
          errors.add(new FieldError(field, "is not valid URL encoding of UTF-8"));
        else if (!known.contains(name))
          errors.add(
              new FieldError(
                  name,
                  "unknown query parameter; expected one of " + known.stream().sorted().toList()));
        else if (values.put(name, value) != null)
          errors.add(new FieldError(name, "is given more than once"));
      }
    }
    if (!errors.isEmpty()) throw ApiException.invalid(errors);
    return new QueryParams(values);
  }

  /** Form decoding ({@code +} is a space) into bytes, then strict UTF-8; null when either fails. */
  private static String decode(String text) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '%') {
        if (i + 2 >= text.length()
            || !HexFormat.isHexDigit(text.charAt(i + 1))
            || !HexFormat.isHexDigit(text.charAt(i + 2))) return null;
        bytes.write(HexFormat.fromHexDigits(text, i + 1, i + 3));
        i += 2;
      } else if (c == '+') {
        bytes.write(' ');
      } else if (c > 0x7f) {
        return null;
      } else {
        bytes.write(c);
      }
    }
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes.toByteArray()))
          .toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  /** The value as given (possibly empty), or null when the parameter is absent. */
  String get(String name) {
    return values.get(name);
  }

  /**
   * The whole number {@code name} from 1 to {@code max}, or {@code absent} when not given; a 400
   * naming it otherwise.
   */
  int limit(String name, int absent, int max) {
    String text = values.get(name);
    if (text == null) return absent;
    int value;
    try {
      value = Integer.parseInt(text);
    } catch (NumberFormatException e) {
      value = -1;
    }
    if (value < 1 || value > max)
      throw ApiException.invalid(name, "must be a whole number from 1 to " + max);
    return value;
  }

  /** A filter's value: absent and empty both mean no filter. */
  String filter(String name) {
    String value = values.get(name);
    return value == null || value.isEmpty() ? null : value;
  }
}
