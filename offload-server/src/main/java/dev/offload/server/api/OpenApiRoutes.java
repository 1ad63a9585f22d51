package dev.offload.server.api;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.javalin.config.RoutesConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * {@code GET /v1/openapi.json}: the OpenAPI 3.1 document of this API, written by hand in {@value
 * #RESOURCE} next to the routes it describes and served as JSON with the running version. It holds
 * no data, so it needs no token, like the dashboard's pages. The integration tests check every
 * request they send and every answer they get against it, and every route against its paths.
 */
public final class OpenApiRoutes {
  public static final String RESOURCE = "/dev/offload/server/api/openapi.yaml";

  private final byte[] json;

  public OpenApiRoutes(String version) {
    ObjectNode document = (ObjectNode) read();
    ((ObjectNode) document.get("info")).put("version", version);
    this.json = document.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** The document as written, for tests that hold the server to it. */
  public static JsonNode read() {
    try (InputStream in = OpenApiRoutes.class.getResourceAsStream(RESOURCE)) {
      if (in == null) throw new IllegalStateException("the jar lacks " + RESOURCE);
      return YAMLMapper.builder()
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .build()
          .readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + RESOURCE, e);
    }
  }

  public void register(RoutesConfig routes) {
    routes.get("/v1/openapi.json", ctx -> ctx.contentType("application/json").result(json));
  }
}
