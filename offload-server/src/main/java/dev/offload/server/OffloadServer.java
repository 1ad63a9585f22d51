package dev.offload.server;

import dev.offload.engine.Engine;
import dev.offload.engine.Observability;
import dev.offload.event.EventsConfig;
import dev.offload.server.api.Authentication;
import dev.offload.server.api.BulkRoutes;
import dev.offload.server.api.CallbackRoutes;
import dev.offload.server.api.EventRoutes;
import dev.offload.server.api.HealthRoutes;
import dev.offload.server.api.JsonBodies;
import dev.offload.server.api.MetricsRoutes;
import dev.offload.server.api.NodeRoutes;
import dev.offload.server.api.OpenApiRoutes;
import dev.offload.server.api.ProblemErrorHandler;
import dev.offload.server.api.Problems;
import dev.offload.server.api.QueueRoutes;
import dev.offload.server.api.RequestLog;
import dev.offload.server.api.ScheduleRequestParser;
import dev.offload.server.api.ScheduleRoutes;
import dev.offload.server.api.TaskRequestParser;
import dev.offload.server.api.TaskRoutes;
import dev.offload.server.api.WorkerRoutes;
import dev.offload.server.dashboard.DashboardRoutes;
import dev.offload.store.JdbcStore;
import dev.offload.store.PostgresDialect;
import io.javalin.Javalin;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.ServerConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One running Offload: the engine plus its HTTP API. */
public final class OffloadServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(OffloadServer.class);
  private static final long MAX_REQUEST_BYTES = 32L * 1024 * 1024;

  /**
   * How long a keep-alive connection may sit idle before the server closes it: longer than clients
   * keep theirs (the JDK's HttpClient, and with it the Java SDK, 30 s; Node's 4 s), as nginx's 75 s
   * is. With Jetty's 30 s a client that reused a connection idle for just under 30 s could send its
   * request as the server closed it, and a POST then failed with no answer.
   */
  private static final Duration IDLE_CONNECTION_TIMEOUT = Duration.ofSeconds(75);

  private final Engine engine;
  private final Javalin http;
  private final Duration shutdownGrace;
  private final AtomicBoolean closed = new AtomicBoolean();

  private OffloadServer(Engine engine, Javalin http, Duration shutdownGrace) {
    this.engine = engine;
    this.http = http;
    this.shutdownGrace = shutdownGrace;
  }

  public static OffloadServer start(ServerConfig config) {
    return start(config, Clock.systemUTC());
  }

  public static OffloadServer start(ServerConfig config, Clock clock) {
    return start(config, clock, MonitoringConfig.DEFAULT);
  }

  public static OffloadServer start(ServerConfig config, Clock clock, MonitoringConfig monitoring) {
    String version = Version.current();
    JdbcStore store = JdbcStore.open(config.dialect(), config.retention());
    PrometheusMeterRegistry registry = Meters.registry();
    Engine engine =
        Engine.start(
            config.engineConfig(version),
            store,
            clock,
            new Observability(
                registry,
                Observability.DEFAULT_GAUGE_REFRESH,
                monitoring.maxQueueLabels(),
                EventsConfig.DEFAULT));
    long maxRequestBytes = Math.max(MAX_REQUEST_BYTES, config.maxPayloadBytes() * 2);
    JsonBodies bodies = new JsonBodies(maxRequestBytes);
    TaskRequestParser taskParser =
        new TaskRequestParser(config.maxPayloadBytes(), config.security().targetGuard());
    TaskRoutes tasks = new TaskRoutes(engine, bodies, taskParser, clock);
    WorkerRoutes workers =
        new WorkerRoutes(
            engine.workers(), engine.workerRegistry(), bodies, config.maxPayloadBytes());
    ScheduleRoutes schedules =
        new ScheduleRoutes(
            engine.schedules(), bodies, new ScheduleRequestParser(taskParser), clock);
    HealthRoutes health = new HealthRoutes(engine);
    NodeRoutes nodes = new NodeRoutes(engine, bodies.mapper());
    QueueRoutes queues = new QueueRoutes(engine.queues(), bodies);
    Problems problems = new Problems(bodies.mapper());
    EventRoutes events = new EventRoutes(engine, bodies.mapper(), monitoring.sseHeartbeat());
    DashboardRoutes dashboard = new DashboardRoutes();
    Javalin http =
        Javalin.create(
            cfg -> {
              cfg.concurrency.useVirtualThreads = true;
              cfg.http.maxRequestSize = maxRequestBytes;
              cfg.startup.showJavalinBanner = false;
              cfg.jetty.addConnector(
                  (server, httpConfig) -> {
                    ServerConnector connector =
                        new ServerConnector(server, new HttpConnectionFactory(httpConfig));
                    connector.setHost(config.bind());
                    connector.setPort(config.port());
                    connector.setIdleTimeout(IDLE_CONNECTION_TIMEOUT.toMillis());
                    return connector;
                  });
              cfg.jetty.modifyServer(server -> server.setErrorHandler(new ProblemErrorHandler()));
              cfg.jetty.modifyServletContextHandler(
                  context -> context.setErrorHandler(new ProblemErrorHandler()));
              new RequestLog().register(cfg.routes);
              new Authentication(config.security().apiTokens()).register(cfg.routes);
              tasks.register(cfg.routes);
              workers.register(cfg.routes);
              new CallbackRoutes(engine.callbacks(), bodies, config.maxPayloadBytes())
                  .register(cfg.routes);
              schedules.register(cfg.routes);
              health.register(cfg.routes);
              nodes.register(cfg.routes);
              events.register(cfg.routes);
              new MetricsRoutes(registry).register(cfg.routes);
              queues.register(cfg.routes);
              new BulkRoutes(engine.bulk(), bodies).register(cfg.routes);
              new OpenApiRoutes(version).register(cfg.routes);
              dashboard.register(cfg.routes);
              problems.register(cfg.routes);
            });
    try {
      http.start();
    } catch (RuntimeException e) {
      closeQuietly(engine);
      throw e;
    }
    engine
        .callbacks()
        .base(
            config.publicUrl() != null
                ? config.publicUrl()
                : "http://" + urlHost(config.bind()) + ":" + http.port());
    log.info(
        "Offload {} in {} mode listening on http://{}:{} with data in {}",
        version,
        config.security().mode().name().toLowerCase(Locale.ROOT),
        config.bind(),
        http.port(),
        config.databaseUrl() != null
            ? PostgresDialect.redact(config.databaseUrl())
            : config.databaseFile().toAbsolutePath());
    return new OffloadServer(engine, http, config.shutdownGrace());
  }

  /**
   * An address as the host part of a URL: IPv6 in brackets; the wildcard as loopback, where this
   * machine answers.
   */
  private static String urlHost(String bind) {
    if (bind.equals("0.0.0.0") || bind.equals("::")) return "127.0.0.1";
    return bind.contains(":") ? "[" + bind + "]" : bind;
  }

  public int port() {
    return http.port();
  }

  public Engine engine() {
    return engine;
  }

  /**
   * Every route as {@code "GET /v1/tasks/{id}"}, for the test that holds them to the OpenAPI
   * document.
   */
  public List<String> routes() {
    return http.unsafe.internalRouter.allHttpHandlers().stream()
        .filter(handler -> handler.endpoint.method.isHttpMethod())
        .map(handler -> handler.endpoint.method.name() + " " + handler.endpoint.path)
        .toList();
  }

  private static void closeQuietly(AutoCloseable closeable) {
    try {
      closeable.close();
    } catch (Exception e) {
      log.warn("error while stopping: {}", e.getMessage());
    }
  }

  /** Stops taking requests, then stops the engine; idempotent. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) return;
    log.info(
        "stopping: no new requests; then the calls in flight get up to {}ms to finish",
        shutdownGrace.toMillis());
    http.stop();
    closeQuietly(engine);
    log.info("Offload stopped");
  }
}
