package dev.offload.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.offload.dispatch.WebhookConfig;
import dev.offload.server.api.ContractCheckedHttpClient;
import dev.offload.task.Backoff;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * A real Offload server on a loopback port with its own SQLite file, and a raw HTTP client for it
 * that holds every exchange to the OpenAPI document ({@link ContractCheckedHttpClient}).
 */
public final class RunningServer implements AutoCloseable {
  /** Webhook retries in milliseconds instead of minutes, so tests see them. */
  public static final WebhookConfig FAST_WEBHOOKS =
      new WebhookConfig(
          3,
          new Backoff(Backoff.Type.FIXED, Duration.ofMillis(100), Duration.ofMillis(100), 1, false),
          Duration.ofSeconds(5));

  /** An answer: status, headers and the body parsed as JSON (null when empty). */
  public record Answer(int status, java.net.http.HttpHeaders headers, JsonNode body, String text) {
    public String header(String name) {
      return headers.firstValue(name).orElse(null);
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();
  private final OffloadServer server;
  private final ContractCheckedHttpClient http = new ContractCheckedHttpClient(this::port);

  public RunningServer(Path dataDir) {
    this(dataDir, config -> config);
  }

  public RunningServer(Path dataDir, UnaryOperator<ServerConfig> customize) {
    this(dataDir, customize, MonitoringConfig.DEFAULT);
  }

  public RunningServer(
      Path dataDir, UnaryOperator<ServerConfig> customize, MonitoringConfig monitoring) {
    ServerConfig config =
        ServerConfig.defaults()
            .withPort(0)
            .withDataDir(dataDir)
            .withWebhooks(FAST_WEBHOOKS)
            .withLeaseTimeout(Duration.ofSeconds(2));
    server = OffloadServer.start(customize.apply(config), java.time.Clock.systemUTC(), monitoring);
  }

  public int port() {
    return server.port();
  }

  /**
   * The contract-checked client, for an {@code OffloadClient} or a stream reader against this
   * server.
   */
  public HttpClient http() {
    return http;
  }

  public String url(String path) {
    return "http://127.0.0.1:" + server.port() + path;
  }

  public OffloadServer server() {
    return server;
  }

  public Answer post(String path, String json, String... headers) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url(path)))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json));
    for (int i = 0; i < headers.length; i += 2) request.header(headers[i], headers[i + 1]);
    return send(request);
  }

  public Answer put(String path, String json) {
    return send(
        HttpRequest.newBuilder(URI.create(url(path)))
            .header("Content-Type", "application/json")
            .PUT(HttpRequest.BodyPublishers.ofString(json)));
  }

  public Answer delete(String path) {
    return send(HttpRequest.newBuilder(URI.create(url(path))).DELETE());
  }

  public Answer get(String path, String... headers) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url(path))).GET();
    for (int i = 0; i < headers.length; i += 2) request.header(headers[i], headers[i + 1]);
    return send(request);
  }

  public Answer send(HttpRequest.Builder request) {
    try {
      HttpResponse<String> response =
          http.send(
              request.timeout(Duration.ofSeconds(90)).build(),
              HttpResponse.BodyHandlers.ofString());
      String text = response.body();
      JsonNode body = text == null || text.isEmpty() ? null : parse(text);
      return new Answer(response.statusCode(), response.headers(), body, text);
    } catch (IOException e) {
      throw new IllegalStateException("request failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static JsonNode parse(String text) {
    try {
      return JSON.readTree(text);
    } catch (IOException e) {
      return null;
    }
  }

  /** Creates a task and returns its id; fails the test unless the answer is 202. */
  public String createTask(String json) {
    Answer answer = post("/v1/tasks", json);
    if (answer.status() != 202)
      throw new AssertionError("expected 202, got " + answer.status() + ": " + answer.text());
    return answer.body().get("taskId").asText();
  }

  /** Long-polls until the task is terminal or 30 s pass; returns the task. */
  public JsonNode awaitFinished(String taskId) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    JsonNode task;
    do {
      task = get("/v1/tasks/" + taskId + "?wait=10s").body();
      if (List.of("succeeded", "failed", "cancelled").contains(task.get("status").asText()))
        return task;
    } while (System.nanoTime() < deadline);
    throw new AssertionError("task " + taskId + " did not finish within 30s: " + task);
  }

  @Override
  public void close() {
    server.close();
    http.close();
    http.assertNoMismatch();
  }
}
