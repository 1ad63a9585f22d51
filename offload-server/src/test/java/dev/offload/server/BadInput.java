package dev.offload.server;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * One bad request of the {@link BadInputIT} corpus and the problem it must get, with the builders
 * the per-endpoint case lists share.
 *
 * @param fields the exact {@code errors[].field} set the problem must name; empty when no field is
 *     at fault
 * @param overSocket sent byte for byte over a socket ({@link RawHttp}): for what {@link
 *     java.net.http.HttpClient} refuses to send (bad %-escapes, raw bytes in the path, control
 *     characters in headers, huge lines)
 * @param bodyIsBytes the body's characters are its bytes (U+0000..U+00FF, ISO-8859-1), for invalid
 *     UTF-8
 */
record BadInput(
    String name,
    String method,
    String path,
    String contentType,
    String body,
    List<String> headers,
    int status,
    List<String> fields,
    boolean overSocket,
    boolean bodyIsBytes) {
  /**
   * Placeholders filled in at send time: the finished push task, its progress token, the queued
   * pull task.
   */
  static final String TASK = "{task}";

  static final String TOKEN = "{token}";
  static final String PULL = "{pull}";

  /**
   * A target path that is never called: every task in the corpus is refused before it is stored.
   */
  static final String NEVER = "{never}";

  static final String UNKNOWN_ID = "tsk_01JD0000000000000000000000";
  static final String MALFORMED_ID = "not-a-task-id";
  static final String SQL = "'; DROP TABLE tasks;--";
  static final int MIB = 1024 * 1024;

  BadInput withContentType(String newContentType) {
    return new BadInput(
        name, method, path, newContentType, body, headers, status, fields, overSocket, bodyIsBytes);
  }

  BadInput withHeader(String header, String value) {
    List<String> all = new ArrayList<>(headers);
    all.add(header);
    all.add(value);
    return new BadInput(
        name,
        method,
        path,
        contentType,
        body,
        List.copyOf(all),
        status,
        fields,
        overSocket,
        bodyIsBytes);
  }

  BadInput raw() {
    return new BadInput(
        name, method, path, contentType, body, headers, status, fields, true, bodyIsBytes);
  }

  /** Over a socket, with the body's characters written as single bytes. */
  BadInput rawBytes() {
    return new BadInput(name, method, path, contentType, body, headers, status, fields, true, true);
  }

  @Override
  public String toString() {
    return name + " -> " + status + (fields.isEmpty() ? "" : " " + fields);
  }

  static BadInput post(String name, String path, String body, int status, String... fields) {
    return send(name, "POST", path, body, status, fields);
  }

  static BadInput get(String name, String path, int status, String... fields) {
    return send(name, "GET", path, null, status, fields);
  }

  static BadInput send(
      String name, String method, String path, String body, int status, String... fields) {
    return new BadInput(
        name,
        method,
        path,
        body == null ? null : "application/json",
        body,
        List.of(),
        status,
        List.of(fields),
        false,
        false);
  }

  /**
   * A valid push task to the never-called path, with {@code extraFields} ("\"a\":1,\"b\":2") added.
   */
  static String task(String extraFields) {
    return "{\"callbackUrl\":\""
        + NEVER
        + "\""
        + (extraFields.isEmpty() ? "" : "," + extraFields)
        + "}";
  }

  static String batch(int size) {
    return IntStream.range(0, size)
        .mapToObj(i -> task("\"payload\":{\"n\":" + i + "}"))
        .collect(Collectors.joining(",", "{\"tasks\":[", "]}"));
  }

  /** {@code text} as one path segment or query value, percent-encoded. */
  static String encoded(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** A JSON array {@code depth} levels deep. */
  static String nested(int depth) {
    return "[".repeat(depth) + "]".repeat(depth);
  }
}
