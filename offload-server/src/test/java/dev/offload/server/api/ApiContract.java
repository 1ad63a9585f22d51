package dev.offload.server.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.dialect.Dialects;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The OpenAPI document ({@link OpenApiRoutes#RESOURCE}) as a checker of HTTP exchanges with the
 * server. An exchange breaks the document when its answer does not have a documented status, media
 * type, header or body, or when the server accepted (answered below 400) a request the document
 * calls invalid. A request the document allows may still be refused with a documented 4xx: the
 * document cannot say every rule (one field's limit that depends on another), and bad-input tests
 * send invalid requests on purpose, which the server must then refuse.
 */
public final class ApiContract {
  private static final String DOCUMENT_IRI = "https://offload.invalid/openapi.json";

  /** The server's own strict reader: a body the server cannot read is not valid here either. */
  static final ObjectMapper JSON = new JsonBodies(Long.MAX_VALUE).mapper();

  private static final ApiContract INSTANCE = new ApiContract();

  private final JsonNode document;
  private final List<Operation> operations;
  private final SchemaRegistry registry;
  private final Map<JsonNode, String> schemaKeys = new IdentityHashMap<>();
  private final Map<String, Schema> schemas = new ConcurrentHashMap<>();

  private ApiContract() {
    document = OpenApiRoutes.read();
    operations = Operation.all(document);
    // The validator gets the document's schemas as the $defs of one schema, and every other schema
    // an exchange is checked against (inline in an operation) beside them under a name of its own:
    // it reaches them by plain JSON pointers (it would read the "200" of a response as an array
    // index).
    ObjectNode named = ((ObjectNode) document.path("components").path("schemas")).deepCopy();
    List.of("paths", "webhooks").forEach(part -> collectSchemas(document.path(part), named));
    List.of("parameters", "headers", "responses")
        .forEach(part -> collectSchemas(document.path("components").path(part), named));
    ObjectNode bundle = JSON.createObjectNode();
    bundle.set("$defs", named);
    String bundled = bundle.toString().replace("\"#/components/schemas/", "\"#/$defs/");
    registry =
        SchemaRegistry.withDialect(
            Dialects.getOpenApi31(),
            builder ->
                builder
                    .schemas(Map.of(DOCUMENT_IRI, bundled))
                    .schemaRegistryConfig(
                        SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build()));
  }

  public static ApiContract get() {
    return INSTANCE;
  }

  public JsonNode document() {
    return document;
  }

  public List<Operation> operations() {
    return operations;
  }

  /** Every place where the document puts a schema, keyed by identity so each is named once. */
  private void collectSchemas(JsonNode node, ObjectNode named) {
    if (node.isObject()) {
      JsonNode schema = node.get("schema");
      if (schema != null && schema.isObject() && !schemaKeys.containsKey(schema)) {
        String key = "_checked" + schemaKeys.size();
        schemaKeys.put(schema, key);
        named.set(key, resolved(schema).deepCopy());
      }
      node.forEach(child -> collectSchemas(child, named));
    } else if (node.isArray()) {
      node.forEach(child -> collectSchemas(child, named));
    }
  }

  /** A parameter, header or response given by {@code $ref}: the component it names. */
  JsonNode resolved(JsonNode node) {
    JsonNode current = node;
    while (current.has("$ref")
        && current.size() == 1
        && !current.get("$ref").asText().startsWith("#/components/schemas/")) {
      current = document.at(current.get("$ref").asText().substring(1));
    }
    return current;
  }

  /**
   * The problems of {@code value} against the schema at {@code schema} (a node of the document).
   */
  List<String> validate(JsonNode schema, JsonNode value) {
    String key = schemaKeys.get(schema);
    if (key == null)
      throw new IllegalArgumentException("not a schema the contract collected: " + schema);
    return validate(key, value);
  }

  /** The problems of {@code value} against the document's {@code components.schemas.<name>}. */
  public List<String> validate(String name, JsonNode value) {
    Schema schema =
        schemas.computeIfAbsent(
            name, n -> registry.getSchema(SchemaLocation.of(DOCUMENT_IRI + "#/$defs/" + n)));
    return schema.validate(value).stream().map(Object::toString).toList();
  }

  /** What is wrong with {@code exchange} by the document; empty when nothing is. */
  public List<String> check(Exchange exchange) {
    Optional<Operation> found =
        operations.stream()
            .filter(operation -> operation.method().equals(exchange.method()))
            .filter(operation -> operation.matches(exchange.path()))
            .min(Comparator.comparingInt(Operation::templatedSegments));
    List<String> problems = new ArrayList<>();
    if (found.isEmpty()) {
      // A path no route has is refused, after the token check that guards every /v1 path.
      if (exchange.status() != 404 && exchange.status() != 405 && exchange.status() != 401) {
        problems.add(
            "the document has no operation "
                + exchange.method()
                + " "
                + exchange.path()
                + ", yet the server answered "
                + exchange.status());
      } else {
        problems.addAll(
            body(exchange, "application/problem+json", value -> validate("Problem", value)));
      }
      return problems;
    }
    Operation operation = found.get();
    List<String> invalid = new RequestCheck(this, operation, exchange).problems();
    JsonNode response = resolved(responseFor(operation, exchange.status()));
    if (response.isMissingNode()) {
      problems.add(
          operation
              + " does not document status "
              + exchange.status()
              + (invalid.isEmpty() ? "" : " (the request broke the document: " + invalid + ")")
              + describe(exchange));
      return problems;
    }
    if (!invalid.isEmpty() && exchange.status() < 400) {
      problems.add(
          operation
              + " answered "
              + exchange.status()
              + " to a request the document calls invalid: "
              + invalid);
    }
    problems.addAll(headers(response, exchange));
    JsonNode content = response.get("content");
    if (content == null) {
      if (exchange.responseBody() != null && exchange.responseBody().length > 0) {
        problems.add(
            operation
                + " answered "
                + exchange.status()
                + " with a body the document does not describe");
      }
    } else {
      String mediaType = mediaType(exchange.responseHeader("Content-Type"));
      JsonNode media = content.get(mediaType);
      if (media == null) {
        problems.add(
            operation
                + " answered "
                + exchange.status()
                + " as "
                + mediaType
                + "; the document says "
                + names(content));
      } else {
        JsonNode schema = media.get("schema");
        if (schema != null)
          problems.addAll(body(exchange, mediaType, value -> validate(schema, value)));
      }
    }
    return problems.stream()
        .map(
            problem ->
                problem.startsWith(operation.toString()) ? problem : operation + ": " + problem)
        .toList();
  }

  /**
   * What is wrong with a call Offload made to an endpoint (a task's call, a completion webhook) by
   * the document's {@code webhooks.<name>}: its headers and body.
   */
  public List<String> checkCall(String webhook, Map<String, List<String>> headers, byte[] body) {
    JsonNode pathItem = document.path("webhooks").path(webhook);
    Operation operation = new Operation("POST", webhook, pathItem, pathItem.path("post"));
    Exchange call = new Exchange("POST", webhook, null, headers, body, 0, Map.of(), null);
    return new RequestCheck(this, operation, call)
        .problems().stream().map(problem -> "webhooks." + webhook + ": " + problem).toList();
  }

  private static JsonNode responseFor(Operation operation, int status) {
    JsonNode responses = operation.node().path("responses");
    JsonNode exact = responses.get(Integer.toString(status));
    if (exact != null) return exact;
    JsonNode range = responses.get(status / 100 + "XX");
    return range != null ? range : responses.path("default");
  }

  private List<String> headers(JsonNode response, Exchange exchange) {
    List<String> problems = new ArrayList<>();
    response
        .path("headers")
        .properties()
        .forEach(
            entry -> {
              JsonNode header = resolved(entry.getValue());
              String value = exchange.responseHeader(entry.getKey());
              if (value == null) {
                if (header.path("required").asBoolean(false))
                  problems.add("the answer lacks the header " + entry.getKey());
              } else {
                validate(header.get("schema"), TextNode.valueOf(value))
                    .forEach(problem -> problems.add("header " + entry.getKey() + ": " + problem));
              }
            });
    return problems;
  }

  private List<String> body(
      Exchange exchange, String mediaType, Function<JsonNode, List<String>> schema) {
    if (exchange.responseBody() == null || !isJson(mediaType)) return List.of();
    JsonNode value;
    try {
      value = JSON.readTree(exchange.responseBody());
    } catch (JsonProcessingException e) {
      return List.of("the " + mediaType + " answer is not JSON: " + e.getOriginalMessage());
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
    if (value == null || value.isMissingNode())
      return List.of("the " + mediaType + " answer is empty");
    return schema.apply(value).stream()
        .map(
            problem ->
                "answer "
                    + exchange.status()
                    + " body: "
                    + problem
                    + " in "
                    + excerpt(exchange.responseBody()))
        .toList();
  }

  static boolean isJson(String mediaType) {
    return mediaType != null
        && (mediaType.equals("application/json") || mediaType.endsWith("+json"));
  }

  /** The media type of a Content-Type value, without parameters, lower case; null for none. */
  static String mediaType(String contentType) {
    if (contentType == null) return null;
    return contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
  }

  private static List<String> names(JsonNode object) {
    List<String> names = new ArrayList<>();
    object.fieldNames().forEachRemaining(names::add);
    return names;
  }

  private static String describe(Exchange exchange) {
    return exchange.responseBody() == null ? "" : ": " + excerpt(exchange.responseBody());
  }

  private static String excerpt(byte[] body) {
    String text = new String(body, StandardCharsets.UTF_8);
    return text.length() > 600 ? text.substring(0, 600) + "…" : text;
  }
}
