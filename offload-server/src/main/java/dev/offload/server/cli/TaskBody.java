package dev.offload.server.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/**
 * The task JSON the CLI sends for {@code --url} and {@code --data}, shared by enqueue and schedules
 * put, and reading answers.
 */
final class TaskBody {
  private static final ObjectMapper JSON = new ObjectMapper();

  private TaskBody() {}

  static ObjectMapper mapper() {
    return JSON;
  }

  /** {@code {"callbackUrl": url, "payload": data}}; a usage error when {@code data} is not JSON. */
  static ObjectNode calling(CommandLine commandLine, String url, String data) {
    return withPayload(commandLine, JSON.createObjectNode().put("callbackUrl", url), data);
  }

  /**
   * The answer's body as JSON; the server answers JSON, so anything else is a bug worth its
   * message.
   */
  static JsonNode parse(ApiCall.Answer answer) {
    try {
      return JSON.readTree(answer.body());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(
          "the server answered "
              + answer.status()
              + " with something other than JSON: "
              + e.getOriginalMessage(),
          e);
    }
  }

  /** {@code task} with {@code data} as its payload; a usage error when {@code data} is not JSON. */
  static ObjectNode withPayload(CommandLine commandLine, ObjectNode task, String data) {
    if (data == null) return task;
    try {
      task.set("payload", JSON.readTree(data));
    } catch (JsonProcessingException e) {
      throw new ParameterException(
          commandLine, "--data is not valid JSON: " + e.getOriginalMessage());
    }
    return task;
  }
}
