package dev.offload.server;

import dev.offload.server.api.ApiContract;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A real HTTP endpoint on a loopback port for Offload to call: answers each path as told and
 * records every request it receives. Offload's calls (a task's call, a completion webhook) are held
 * to the {@code webhooks} of the OpenAPI document; {@link #close} fails on a mismatch.
 */
public final class TestTarget implements AutoCloseable {
  /** What the target received. Header names are lower-case. */
  public record Received(
      String path, String method, Map<String, String> headers, String body, Instant at) {
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
      return new Reply(
          status, Map.of("Content-Type", "text/plain"), "status " + status, Duration.ZERO);
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

  private final Javalin server;
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final List<String> mismatches = new CopyOnWriteArrayList<>();

  /**
   * Calls held to the document, per path: a load test's thousands of calls each validated cost the
   * target enough CPU on a busy machine that Offload's connects to it timed out.
   */
  private static final int CHECKED_CALLS_PER_PATH = 200;

  private final Map<String, AtomicInteger> checkedCalls = new ConcurrentHashMap<>();
  private final Map<String, Function<Received, Reply>> routes = new ConcurrentHashMap<>();

  /** Jetty on virtual threads, so thousands of held calls cost no platform thread each. */
  public TestTarget() {
    server =
        Javalin.create(
                config -> {
                  config.concurrency.useVirtualThreads = true;
                  config.startup.showJavalinBanner = false;
                  config.http.maxRequestSize = 64L * 1024 * 1024;
                  config.jetty.host = "127.0.0.1";
                  config.jetty.port = 0;
                  for (HandlerType method :
                      List.of(
                          HandlerType.GET,
                          HandlerType.POST,
                          HandlerType.PUT,
                          HandlerType.PATCH,
                          HandlerType.DELETE)) {
                    config.routes.addHttpHandler(method, "/<path>", this::handle);
                  }
                })
            .start();
  }

  /** Answers {@code path} with {@code reply} for every call. */
  public TestTarget on(String path, Reply reply) {
    return on(path, request -> reply);
  }

  public TestTarget on(String path, Function<Received, Reply> responder) {
    routes.put(path, responder);
    return this;
  }

  /**
   * Answers the n-th call (1-based) to {@code path} with {@code replies[n-1]}, repeating the last.
   */
  public TestTarget onSequence(String path, Reply... replies) {
    AtomicInteger calls = new AtomicInteger();
    return on(path, request -> replies[Math.min(calls.getAndIncrement(), replies.length - 1)]);
  }

  public String url(String path) {
    return "http://127.0.0.1:" + server.port() + path;
  }

  public List<Received> received(String path) {
    List<Received> matching = new ArrayList<>();
    for (Received r : received) if (r.path().equals(path)) matching.add(r);
    return matching;
  }

  private void handle(Context ctx) throws InterruptedException {
    Map<String, String> headers = new HashMap<>();
    ctx.headerMap().forEach((name, value) -> headers.put(name.toLowerCase(), value));
    Received request =
        new Received(
            ctx.path(), ctx.method().name(), Map.copyOf(headers), ctx.body(), Instant.now());
    received.add(request);
    String userAgent = request.header("User-Agent");
    if (userAgent != null
        && userAgent.startsWith("Offload/")
        && checkedCalls.computeIfAbsent(ctx.path(), p -> new AtomicInteger()).incrementAndGet()
            <= CHECKED_CALLS_PER_PATH) {
      String webhook = request.header("Offload-Event") != null ? "taskFinished" : "taskCall";
      Map<String, List<String>> all = new HashMap<>();
      ctx.headerMap().forEach((name, value) -> all.put(name, List.of(value)));
      ApiContract.get()
          .checkCall(webhook, all, ctx.bodyAsBytes())
          .forEach(
              problem -> mismatches.add(request.method() + " " + request.path() + ": " + problem));
    }
    Reply reply = routes.getOrDefault(ctx.path(), r -> Reply.ok("{\"ok\":true}")).apply(request);
    if (!reply.hold().isZero()) Thread.sleep(reply.hold());
    reply.headers().forEach(ctx::header);
    ctx.status(reply.status());
    if (reply.body() != null && !reply.body().isEmpty())
      ctx.result(reply.body().getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public void close() {
    server.stop();
    if (!mismatches.isEmpty())
      throw new AssertionError(
          "Offload's calls broke the OpenAPI document:\n" + String.join("\n", mismatches));
  }
}
