package dev.offload.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One operation of the document: a method on a path template such as {@code /v1/tasks/{id}}. */
public record Operation(String method, String template, JsonNode pathItem, JsonNode node) {
  private static final Set<String> METHODS =
      Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace");
  private static final Pattern PARAMETER = Pattern.compile("\\{([^}/]+)}");

  static List<Operation> all(JsonNode document) {
    List<Operation> operations = new ArrayList<>();
    document
        .path("paths")
        .properties()
        .forEach(
            path ->
                path.getValue()
                    .properties()
                    .forEach(
                        entry -> {
                          if (METHODS.contains(entry.getKey())) {
                            operations.add(
                                new Operation(
                                    entry.getKey().toUpperCase(Locale.ROOT),
                                    path.getKey(),
                                    path.getValue(),
                                    entry.getValue()));
                          }
                        }));
    return operations;
  }

  /** The route as the server names it: {@code "GET /v1/tasks/{id}"}. */
  public String route() {
    return method + " " + template;
  }

  boolean matches(String rawPath) {
    return regex().matcher(rawPath).matches();
  }

  /** Path parameters of {@code rawPath} by name, still percent-encoded. */
  List<String[]> parameters(String rawPath) {
    Matcher template = PARAMETER.matcher(this.template);
    Matcher values = regex().matcher(rawPath);
    List<String[]> found = new ArrayList<>();
    if (!values.matches()) return found;
    for (int group = 1; template.find(); group++)
      found.add(new String[] {template.group(1), values.group(group)});
    return found;
  }

  /** Paths with fewer parameters win, as {@code /v1/tasks/batch} over {@code /v1/tasks/{id}}. */
  int templatedSegments() {
    return (int) PARAMETER.matcher(template).results().count();
  }

  private Pattern regex() {
    StringBuilder regex = new StringBuilder();
    Matcher m = PARAMETER.matcher(template);
    int at = 0;
    while (m.find()) {
      regex.append(Pattern.quote(template.substring(at, m.start()))).append("([^/]+)");
      at = m.end();
    }
    return Pattern.compile(regex.append(Pattern.quote(template.substring(at))).toString());
  }

  @Override
  public String toString() {
    return route();
  }
}
