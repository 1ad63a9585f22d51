package dev.offload.server.api;

import java.util.List;
import java.util.Map;

/**
 * One request to the server and its answer, as raw as the client saw them. {@code path} and {@code
 * query} are still percent-encoded; {@code responseBody} is null when it was not read whole (an
 * event stream).
 */
public record Exchange(
    String method,
    String path,
    String query,
    Map<String, List<String>> requestHeaders,
    byte[] requestBody,
    int status,
    Map<String, List<String>> responseHeaders,
    byte[] responseBody) {
  public String requestHeader(String name) {
    return first(requestHeaders, name);
  }

  public String responseHeader(String name) {
    return first(responseHeaders, name);
  }

  private static String first(Map<String, List<String>> headers, String name) {
    return headers.entrySet().stream()
        .filter(entry -> entry.getKey().equalsIgnoreCase(name))
        .flatMap(entry -> entry.getValue().stream())
        .findFirst()
        .orElse(null);
  }

  @Override
  public String toString() {
    return method + " " + path + (query == null ? "" : "?" + query) + " -> " + status;
  }
}
