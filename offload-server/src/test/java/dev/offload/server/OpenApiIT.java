package dev.offload.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.offload.server.RunningServer.Answer;
import dev.offload.server.api.ApiContract;
import dev.offload.server.api.Operation;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The OpenAPI document describes exactly the routes the server has, and the server hands it out.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpenApiIT {
  private static final String TOKEN = "tok_openapi_0123456789abcdef";
  private RunningServer server;

  @BeforeAll
  void start(@TempDir Path dataDir) {
    server =
        new RunningServer(
            dataDir,
            config ->
                config.withSecurity(
                    new SecurityConfig(SecurityConfig.Mode.PRODUCTION, List.of(TOKEN), List.of())));
  }

  @AfterAll
  void stop() {
    server.close();
  }

  @Test
  void every_route_of_the_server_is_in_the_document_and_every_operation_is_a_route() {
    List<String> documented =
        ApiContract.get().operations().stream().map(Operation::route).toList();

    assertThat(server.server().routes())
        .as("the routes the server registers")
        .isNotEmpty()
        .containsExactlyInAnyOrderElementsOf(documented);
  }

  @Test
  void the_document_is_served_as_json_without_a_token_with_the_running_version() {
    Answer answer = server.get("/v1/openapi.json");

    assertThat(answer.status()).as(answer.text()).isEqualTo(200);
    assertThat(answer.header("Content-Type")).startsWith("application/json");
    JsonNode expected = ApiContract.get().document().deepCopy();
    ((ObjectNode) expected.get("info")).put("version", Version.current());
    assertThat(answer.body()).isEqualTo(expected);
    assertThat(answer.body().path("openapi").asText()).startsWith("3.1.");
  }
}
