package dev.offload.server;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A real HTTP endpoint on a loopback port for Offload to call: answers each path as told and
 * records every request it receives.
 */
public final class TestTarget implements AutoCloseable {
  /** What the target received. Header names are lower-case. */
  public record Received(String path, String method, Map<String, String> headers, String body, Instant at) {
    public String header(String name) {
      return headers.get(name.toLowerCase());
    }
  }

  /** How to answer: status, headers, body, and how long to hold the call first. */
  public record Reply(int status, Map<String, String> headers, String body, Duration hold) {
    public static Reply ok(String jsonBody) {
      return new Reply(200, Map.of("Content-Type", "application/json"), jsonBody, Duration.ZERO);
    }

    public static Reply status(int status) {
      return new Reply(status, Map.of("Content-Type", "text/plain"), "status " + status, Duration.ZERO);
    }

    public Reply withHeader(String name, String value) {
      Map<String, String> all = new java.util.HashMap<>(headers);
      all.put(name, value);
      return new Reply(status, Map.copyOf(all), body, hold);
    }

    public Reply holding(Duration duration) {
      return new Reply(status, headers, body, duration);
    }
  }

  private final HttpServer server;
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final Map<String, Function<Received, Reply>> routes = new ConcurrentHashMap<>();

  public TestTarget() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1_000);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext("/", this::handle);
    server.start();
  }

  /** Answers {@code path} with {@code reply} for every call. */
  public TestTarget on(String path, Reply reply) {
    return on(path, request -> reply);
  }

  public TestTarget on(String path, Function<Received, Reply> responder) {
    routes.put(path, responder);
    return this;
  }

  /** Answers the n-th call (1-based) to {@code path} with {@code replies[n-1]}, repeating the last. */
  public TestTarget onSequence(String path, Reply... replies) {
    AtomicInteger calls = new AtomicInteger();
    return on(path, request -> replies[Math.min(calls.getAndIncrement(), replies.length - 1)]);
  }

  public String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  public List<Received> received(String path) {
    List<Received> matching = new ArrayList<>();
    for (Received r : received) if (r.path().equals(path)) matching.add(r);
    return matching;
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      Map<String, String> headers = new ConcurrentHashMap<>();
      exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(), String.join(",", values)));
      String path = exchange.getRequestURI().getPath();
      Received request = new Received(path, exchange.getRequestMethod(), Map.copyOf(headers), body, Instant.now());
      received.add(request);
      Reply reply = routes.getOrDefault(path, r -> Reply.ok("{\"ok\":true}")).apply(request);
      if (!reply.hold().isZero()) Thread.sleep(reply.hold());
      reply.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
      byte[] bytes = reply.body() == null ? new byte[0] : reply.body().getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(reply.status(), bytes.length == 0 ? -1 : bytes.length);
      if (bytes.length > 0) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(bytes);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      // the caller went away (timeout or cancel): nothing to answer
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
