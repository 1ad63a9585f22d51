package dev.offload.server.api;

import io.javalin.http.Context;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The query string read strictly: a malformed escape, a parameter given twice or one the route
 * does not know is a 400 naming it, rather than a silently unfiltered answer.
 */
final class QueryParams {
  private final Map<String, String> values;

  private QueryParams(Map<String, String> values) {
    this.values = values;
  }

  static QueryParams parse(Context ctx, Set<String> known) {
    Map<String, String> values = new HashMap<>();
    List<FieldError> errors = new ArrayList<>();
    String query = ctx.queryString();
    if (query != null && !query.isEmpty()) {
      for (String pair : query.split("&")) {
        if (pair.isEmpty()) continue;
        int eq = pair.indexOf('=');
        String rawName = eq < 0 ? pair : pair.substring(0, eq);
        String name = decode(rawName);
        String value = decode(eq < 0 ? "" : pair.substring(eq + 1));
        String field = name == null ? rawName : name;
        if (name == null || value == null) errors.add(new FieldError(field, "is not valid URL encoding"));
        else if (!known.contains(name)) errors.add(new FieldError(name, "unknown query parameter; expected one of " + known.stream().sorted().toList()));
        else if (values.put(name, value) != null) errors.add(new FieldError(name, "is given more than once"));
      }
    }
    if (!errors.isEmpty()) throw ApiException.invalid(errors);
    return new QueryParams(values);
  }

  private static String decode(String text) {
    try {
      return URLDecoder.decode(text, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** The value as given (possibly empty), or null when the parameter is absent. */
  String get(String name) {
    return values.get(name);
  }

  /** A filter's value: absent and empty both mean no filter. */
  String filter(String name) {
    String value = values.get(name);
    return value == null || value.isEmpty() ? null : value;
  }
}
