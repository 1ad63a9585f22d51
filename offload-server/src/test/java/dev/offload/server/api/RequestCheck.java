package dev.offload.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/** Why a request breaks its operation's parameters and request body; empty when it does not. */
final class RequestCheck {
  private final ApiContract contract;
  private final Operation operation;
  private final Exchange exchange;
  private final List<String> problems = new ArrayList<>();

  RequestCheck(ApiContract contract, Operation operation, Exchange exchange) {
    this.contract = contract;
    this.operation = operation;
    this.exchange = exchange;
  }

  List<String> problems() {
    Map<String, JsonNode> declared = declaredParameters();
    for (String[] parameter : operation.parameters(exchange.path())) {
      check(
          "path parameter " + parameter[0],
          declared.get("path:" + parameter[0]),
          decode(parameter[1]));
    }
    query(declared);
    declared.forEach(
        (key, parameter) -> {
          if (!key.startsWith("header:")) return;
          String value = exchange.requestHeader(parameter.get("name").asText());
          if (value == null && parameter.path("required").asBoolean(false))
            problems.add("the header " + parameter.get("name").asText() + " is required");
          if (value != null) check("header " + parameter.get("name").asText(), parameter, value);
        });
    body();
    return problems;
  }

  /** The path item's parameters, then the operation's, by {@code in:name}. */
  private Map<String, JsonNode> declaredParameters() {
    Map<String, JsonNode> declared = new LinkedHashMap<>();
    Stream.of(operation.pathItem().path("parameters"), operation.node().path("parameters"))
        .flatMap(list -> java.util.stream.StreamSupport.stream(list.spliterator(), false))
        .map(contract::resolved)
        .forEach(
            parameter ->
                declared.put(
                    parameter.get("in").asText() + ":" + parameter.get("name").asText(),
                    parameter));
    return declared;
  }

  /**
   * Read by the server's own rules (unknown, repeated and badly encoded parameters are refused),
   * then each value by its schema.
   */
  private void query(Map<String, JsonNode> declared) {
    Set<String> names = new HashSet<>();
    declared.forEach(
        (key, parameter) -> {
          if (key.startsWith("query:")) names.add(parameter.get("name").asText());
        });
    QueryParams given;
    try {
      given = QueryParams.parse(exchange.query(), names);
    } catch (ApiException e) {
      e.errors()
          .forEach(
              error -> problems.add("query parameter " + error.field() + " " + error.message()));
      return;
    }
    declared.forEach(
        (key, parameter) -> {
          if (!key.startsWith("query:")) return;
          String name = parameter.get("name").asText();
          String value = given.get(name);
          if (value != null) check("query parameter " + name, parameter, value);
          else if (parameter.path("required").asBoolean(false))
            problems.add("the query parameter " + name + " is required");
        });
  }

  private void check(String what, JsonNode parameter, String value) {
    if (parameter == null) {
      problems.add(what + " is not in the document");
    } else if (value == null) {
      problems.add(what + " is not URL-encoded UTF-8");
    } else {
      contract
          .validate(parameter.get("schema"), TextNode.valueOf(value))
          .forEach(problem -> problems.add(what + ": " + problem));
    }
  }

  private void body() {
    JsonNode requestBody = operation.node().get("requestBody");
    if (requestBody == null) return;
    requestBody = contract.resolved(requestBody);
    byte[] body = exchange.requestBody();
    if (body == null || body.length == 0) {
      if (requestBody.path("required").asBoolean(false))
        problems.add("the request body is required");
      return;
    }
    String declaredType = ApiContract.mediaType(exchange.requestHeader("Content-Type"));
    String mediaType = declaredType == null ? "application/json" : declaredType;
    JsonNode content = requestBody.path("content");
    JsonNode media =
        content.has(mediaType)
            ? content.get(mediaType)
            : content.has(mediaType.split("/")[0] + "/*")
                ? content.get(mediaType.split("/")[0] + "/*")
                : content.get("*/*");
    if (media == null) {
      problems.add("the request body is " + mediaType + ", not a type the document takes");
      return;
    }
    if (!ApiContract.isJson(mediaType) || media.get("schema") == null) return;
    JsonNode value;
    try {
      value = ApiContract.JSON.readTree(body);
    } catch (IOException e) {
      problems.add(
          "the request body is not strict JSON: " + e.getMessage().lines().findFirst().orElse(""));
      return;
    }
    if (value == null || value.isMissingNode()) {
      problems.add("the request body is empty");
      return;
    }
    contract
        .validate(media.get("schema"), value)
        .forEach(problem -> problems.add("request body: " + problem));
  }

  /**
   * A path segment decoded as the server's router decodes it; null when it is not valid
   * percent-encoding.
   */
  private static String decode(String segment) {
    try {
      return URLDecoder.decode(segment, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
