package dev.offload.client;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The target's answer to the successful attempt (or the last answer of a failed task), or the
 * result a worker completed a pull task with.
 *
 * @param statusCode the HTTP status of the target's answer; null for a worker's result
 * @param body the response body: its JSON when the response was JSON, else a text node
 * @param truncated true when the body was longer than the server keeps (1 MiB) and was cut
 */
public record TaskResult(Integer statusCode, String contentType, JsonNode body, boolean truncated) {
  /**
   * The body read as {@code type} (a record, a {@code Map}, …); null when the body is JSON null.
   * Throws {@link IllegalArgumentException} when it does not fit {@code type}.
   */
  public <T> T bodyAs(Class<T> type) {
    return Json.convert(body, type);
  }

  /** The body as text: a text body as is, a JSON body as JSON text. */
  public String bodyText() {
    return body.isTextual() ? body.textValue() : body.toString();
  }

  static TaskResult from(JsonNode json) {
    if (json == null || json.isNull()) return null;
    Integer statusCode = Json.integer(json, "statusCode");
    return new TaskResult(
        statusCode,
        Json.text(json, "contentType"),
        Json.node(json, "body"),
        json.path("truncated").asBoolean(false));
  }
}
