package dev.offload.bench;

import io.javalin.Javalin;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.OptionalLong;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.ServerConnector;

/**
 * The target of every task, in the bench's process: Jetty with a virtual thread per request. {@code
 * POST /fast} answers at once; {@code POST /hold?ms=N} answers after N ms. It counts what arrives
 * in {@link SinkCounters}, which {@link #reset} replaces between measurements.
 */
final class Sink implements AutoCloseable {
  /**
   * W4 opens ~10,000 connections in a burst; Java's default accept backlog (50) would drop SYNs.
   */
  private static final int ACCEPT_QUEUE = 8192;

  private final Javalin server;
  private volatile SinkCounters counters = new SinkCounters(Integer.MAX_VALUE);

  Sink() {
    server =
        Javalin.create(
                config -> {
                  config.concurrency.useVirtualThreads = true;
                  config.startup.showJavalinBanner = false;
                  config.jetty.addConnector(
                      (jetty, http) -> {
                        ServerConnector connector =
                            new ServerConnector(jetty, new HttpConnectionFactory(http));
                        connector.setHost("127.0.0.1");
                        connector.setPort(0);
                        connector.setAcceptQueueSize(ACCEPT_QUEUE);
                        connector.setIdleTimeout(300_000);
                        return connector;
                      });
                  config.routes.post("/fast", this::fast);
                  config.routes.post("/hold", this::hold);
                })
            .start();
  }

  /** Starts counting afresh; W4 passes how many concurrent calls mean "all in flight". */
  SinkCounters reset(int holdTarget) {
    counters = new SinkCounters(holdTarget);
    return counters;
  }

  SinkCounters counters() {
    return counters;
  }

  String fastUrl() {
    return "http://127.0.0.1:" + server.port() + "/fast";
  }

  String holdUrl(Duration hold) {
    return "http://127.0.0.1:" + server.port() + "/hold?ms=" + hold.toMillis();
  }

  private void fast(Context ctx) {
    long receivedAt = System.nanoTime();
    SinkCounters current = counters;
    String taskId = ctx.header("Offload-Task-Id");
    boolean firstDelivery = current.arrived(taskId);
    // Only a task's first delivery counts: a redelivery's latency would be the retry's, not the
    // path's.
    if (firstDelivery) {
      OptionalLong intended = intendedSendTime(ctx.body());
      if (intended.isPresent()) current.recordLatency(receivedAt - intended.getAsLong());
    }
    ctx.contentType("application/json").result("{\"ok\":true}");
  }

  private void hold(Context ctx) throws InterruptedException {
    SinkCounters current = counters;
    long millis = Long.parseLong(ctx.queryParam("ms"));
    current.holdStarted();
    try {
      Thread.sleep(millis);
    } finally {
      current.holdEnded(ctx.header("Offload-Task-Id"));
    }
    ctx.contentType("application/json").result("{\"ok\":true}");
  }

  /**
   * The producer's {@code {"t": <System.nanoTime() at the intended send>}}, read without a JSON
   * library because it is on the hot path; the bench and the sink share a JVM, hence a clock.
   */
  static OptionalLong intendedSendTime(String body) {
    int key = body.indexOf("\"t\"");
    if (key < 0) return OptionalLong.empty();
    int i = key + 3;
    while (i < body.length() && (body.charAt(i) == ' ' || body.charAt(i) == ':')) i++;
    int start = i;
    if (i < body.length() && body.charAt(i) == '-') i++;
    while (i < body.length() && Character.isDigit(body.charAt(i))) i++;
    try {
      return OptionalLong.of(Long.parseLong(body.substring(start, i)));
    } catch (NumberFormatException e) {
      return OptionalLong.empty();
    }
  }

  @Override
  public void close() {
    server.stop();
  }
}
