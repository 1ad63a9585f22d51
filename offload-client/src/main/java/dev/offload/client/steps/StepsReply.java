package dev.offload.client.steps;

import java.util.Map;

/**
 * The answer to one call from Offload: status, headers and JSON body, for any HTTP framework to
 * send.
 */
public record StepsReply(int status, Map<String, String> headers, byte[] body) {
  public StepsReply {
    headers = Map.copyOf(headers);
  }
}
