package dev.offload.server.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/** The task JSON the CLI sends for {@code --url} and {@code --data}, shared by enqueue and schedules put. */
final class TaskBody {
  private static final ObjectMapper JSON = new ObjectMapper();

  private TaskBody() {}

  static ObjectMapper mapper() {
    return JSON;
  }

  /** {@code {"callbackUrl": url, "payload": data}}; a usage error when {@code data} is not JSON. */
  static ObjectNode calling(CommandLine commandLine, String url, String data) {
    ObjectNode task = JSON.createObjectNode().put("callbackUrl", url);
    if (data == null) return task;
    try {
      task.set("payload", JSON.readTree(data));
    } catch (JsonProcessingException e) {
      throw new ParameterException(commandLine, "--data is not valid JSON: " + e.getOriginalMessage());
    }
    return task;
  }
}
