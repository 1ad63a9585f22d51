package dev.offload.client.steps;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Long work split into steps: runs from the top on every call from Offload, with the task's payload
 * and the {@link Step} that replays finished steps. Its return value (JSON-serializable) is the
 * task's result; an exception fails the call, which Offload retries from the last state.
 */
@FunctionalInterface
public interface StepsHandler {
  Object handle(JsonNode payload, Step step) throws Exception;
}
