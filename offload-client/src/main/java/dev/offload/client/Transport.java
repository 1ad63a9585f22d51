package dev.offload.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** JSON over HTTP to one Offload server: every failure becomes an {@link OffloadException}. */
final class Transport {
  private static final String USER_AGENT = "offload-java-client";

  /** A 2xx answer. */
  record Answer(int status, HttpHeaders headers, JsonNode body, String request) {
    String header(String name) {
      return headers.firstValue(name).orElse(null);
    }

    /** Reads the body; a body that does not have the API's shape is an {@link OffloadException}. */
    <T> T read(Function<JsonNode, T> reader) {
      try {
        return reader.apply(body);
      } catch (RuntimeException e) {
        throw new OffloadException(
            status,
            null,
            "Unexpected answer",
            "cannot read the answer: " + e.getMessage() + "; the server may be of another version",
            List.of(),
            request,
            header("Offload-Request-Id"));
      }
    }
  }

  private final String baseUrl;
  private final String authorization;
  private final Duration requestTimeout;
  private final HttpClient http;
  private final boolean ownsHttp;
  private volatile boolean closed;

  Transport(URI baseUrl, String token, Duration requestTimeout, HttpClient http, boolean ownsHttp) {
    String text = baseUrl.toString();
    this.baseUrl = text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
    this.authorization = token == null ? null : "Bearer " + token;
    this.requestTimeout = requestTimeout;
    this.http = http;
    this.ownsHttp = ownsHttp;
  }

  static String segment(String pathPart) {
    return URLEncoder.encode(pathPart, StandardCharsets.UTF_8).replace("+", "%20");
  }

  Answer get(String path, Duration serverWait) {
    return send("GET", path, null, Map.of(), serverWait);
  }

  Answer post(String path, JsonNode body, Map<String, String> headers, Duration serverWait) {
    return send("POST", path, body, headers, serverWait);
  }

  Answer put(String path, JsonNode body) {
    return send("PUT", path, body, Map.of(), Duration.ZERO);
  }

  Answer delete(String path) {
    return send("DELETE", path, null, Map.of(), Duration.ZERO);
  }

  /** {@code serverWait} is how long the server may hold the answer on purpose (a long-poll). */
  private Answer send(
      String method, String path, JsonNode body, Map<String, String> headers, Duration serverWait) {
    String request = method + " " + path;
    if (closed) throw new IllegalStateException("the OffloadClient is closed (" + request + ")");
    Duration timeout = requestTimeout.plus(serverWait);
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(URI.create(baseUrl + path))
            .timeout(timeout)
            .header("Accept", "application/json, application/problem+json")
            .header("User-Agent", USER_AGENT);
    if (authorization != null) builder.header("Authorization", authorization);
    headers.forEach(builder::header);
    if (body == null) {
      builder.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      builder
          .header("Content-Type", "application/json")
          .method(method, HttpRequest.BodyPublishers.ofByteArray(bytes(body)));
    }
    HttpResponse<String> response = exchange(builder.build(), request, timeout);
    String requestId = response.headers().firstValue("Offload-Request-Id").orElse(null);
    if (response.statusCode() / 100 != 2)
      throw OffloadException.fromAnswer(response.statusCode(), response.body(), request, requestId);
    try {
      String text = response.body();
      return new Answer(
          response.statusCode(),
          response.headers(),
          text == null || text.isEmpty() ? null : Json.parse(text),
          request);
    } catch (JsonProcessingException e) {
      throw new OffloadException(
          response.statusCode(),
          null,
          "Unexpected answer",
          "the answer is not JSON: " + e.getOriginalMessage(),
          List.of(),
          request,
          requestId);
    }
  }

  private HttpResponse<String> exchange(HttpRequest httpRequest, String request, Duration timeout) {
    try {
      return http.send(httpRequest, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (HttpConnectTimeoutException e) {
      throw new OffloadConnectionException(
          "could not connect to " + baseUrl + " in time", request, e);
    } catch (HttpTimeoutException e) {
      throw new OffloadConnectionException(
          "no answer from " + baseUrl + " within " + timeout.toMillis() + "ms", request, e);
    } catch (ConnectException e) {
      throw new OffloadConnectionException(
          "cannot connect to " + baseUrl + ": " + reason(e), request, e);
    } catch (IOException e) {
      String why = closed ? "the client was closed" : reason(e);
      throw new OffloadConnectionException(
          "the exchange with " + baseUrl + " failed: " + why, request, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new OffloadConnectionException("interrupted while waiting for " + baseUrl, request, e);
    }
  }

  /** The first message in the cause chain; the JDK often leaves the outer one empty. */
  private static String reason(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t.getMessage() != null && !t.getMessage().isBlank()) return t.getMessage();
    }
    return error.getClass().getSimpleName();
  }

  private static byte[] bytes(JsonNode body) {
    try {
      return Json.MAPPER.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "cannot write the request as JSON: " + e.getOriginalMessage(), e);
    }
  }

  void close() {
    closed = true;
    if (ownsHttp) http.shutdownNow();
  }
}
