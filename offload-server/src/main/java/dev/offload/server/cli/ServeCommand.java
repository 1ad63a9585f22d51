package dev.offload.server.cli;

import dev.offload.dispatch.DispatchConfig;
import dev.offload.dispatch.WebhookConfig;
import dev.offload.schedule.ScheduleDefinition;
import dev.offload.server.Logging;
import dev.offload.server.OffloadServer;
import dev.offload.server.ScheduleFile;
import dev.offload.server.SecurityConfig;
import dev.offload.server.ServerConfig;
import dev.offload.server.api.ScheduleRequestParser;
import dev.offload.server.api.TaskRequestParser;
import dev.offload.store.RetentionDefaults;
import dev.offload.task.Retention;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description =
        "Run the Offload service: HTTP API and dispatcher, on SQLite (default) or PostgreSQL.")
public final class ServeCommand implements Callable<Integer> {
  @Option(
      names = "--port",
      description = "HTTP port (env OFFLOAD_PORT; default ${DEFAULT-VALUE}).",
      defaultValue = "8080")
  int port;

  @Option(
      names = "--bind",
      description =
          "Address to listen on; other than loopback needs --mode production (env OFFLOAD_BIND; default ${DEFAULT-VALUE}).",
      defaultValue = "127.0.0.1")
  String bind;

  @Option(
      names = "--mode",
      defaultValue = "dev",
      description =
          "dev: loopback only, no token needed. production: any --bind, API tokens required (OFFLOAD_API_TOKENS),"
              + " targets on private networks refused (env OFFLOAD_MODE; default ${DEFAULT-VALUE}).")
  String mode;

  @Option(
      names = "--allow-target",
      split = ",",
      paramLabel = "CIDR|HOST",
      description =
          "In production mode, a private address block or host name targets and webhooks may reach anyway; repeatable or comma-separated (env OFFLOAD_ALLOW_TARGET).")
  List<String> allowTargets = new ArrayList<>();

  @Option(
      names = "--data-dir",
      description =
          "Folder of the SQLite database (env OFFLOAD_DATA_DIR; default ${DEFAULT-VALUE}).",
      defaultValue = "offload-data")
  Path dataDir;

  @Option(
      names = "--max-payload",
      description =
          "Largest task body in bytes (env OFFLOAD_MAX_PAYLOAD; default ${DEFAULT-VALUE}).",
      defaultValue = "1048576")
  long maxPayload;

  @Option(
      names = "--lease-timeout",
      converter = DurationConverter.class,
      defaultValue = "60s",
      description =
          "A running task whose node stops renewing its lease for this long is retried (env OFFLOAD_LEASE_TIMEOUT; default ${DEFAULT-VALUE}).")
  Duration leaseTimeout;

  @Option(
      names = "--max-in-flight",
      defaultValue = "10000",
      description =
          "Most target calls in flight at once on this node (env OFFLOAD_MAX_IN_FLIGHT; default ${DEFAULT-VALUE}).")
  int maxInFlight;

  @Option(
      names = "--sqlite-sync",
      defaultValue = "normal",
      description =
          "normal: a killed process loses nothing committed; full: a power loss neither, at an fsync per commit (env OFFLOAD_SQLITE_SYNC; default ${DEFAULT-VALUE}).")
  String sqliteSync;

  @Option(
      names = "--database-url",
      description =
          "jdbc:postgresql://host:5432/db?user=… to share one PostgreSQL among many nodes; SQLite in --data-dir when absent (env OFFLOAD_DATABASE_URL).")
  String databaseUrl;

  @Option(
      names = "--shutdown-grace",
      converter = DurationConverter.class,
      defaultValue = "30s",
      description =
          "On SIGTERM, how long calls in flight may finish before their tasks go back to the queue (env OFFLOAD_SHUTDOWN_GRACE; default ${DEFAULT-VALUE}).")
  Duration shutdownGrace;

  @Option(
      names = "--retain-succeeded",
      converter = RetentionConverter.class,
      defaultValue = "7d",
      paramLabel = "DURATION|forever",
      description =
          "How long succeeded tasks are kept (with attempts, events and result) unless their queue or the task says otherwise (env OFFLOAD_RETAIN_SUCCEEDED; default ${DEFAULT-VALUE}).")
  Retention retainSucceeded;

  @Option(
      names = "--retain-failed",
      converter = RetentionConverter.class,
      defaultValue = "30d",
      paramLabel = "DURATION|forever",
      description =
          "How long failed and cancelled tasks are kept unless their queue or the task says otherwise (env OFFLOAD_RETAIN_FAILED; default ${DEFAULT-VALUE}).")
  Retention retainFailed;

  @Option(
      names = "--public-url",
      paramLabel = "URL",
      description =
          "Where targets reach this server, for the callback URLs of long tasks, e.g. https://offload.example.com (env OFFLOAD_PUBLIC_URL; default http://<bind>:<port>).")
  String publicUrl;

  @Option(
      names = "--log-format",
      defaultValue = "text",
      description = "text or json (env OFFLOAD_LOG_FORMAT; default ${DEFAULT-VALUE}).")
  String logFormat;

  @Option(
      names = "--schedules",
      paramLabel = "FILE",
      description =
          "YAML (or .json) file of cron schedules to create or update at start-up; schedules not in it are left alone (env OFFLOAD_SCHEDULES).")
  Path schedulesFile;

  @Override
  public Integer call() throws Exception {
    if (!sqliteSync.equals("normal") && !sqliteSync.equals("full")) {
      throw new IllegalArgumentException("--sqlite-sync must be normal or full, got " + sqliteSync);
    }
    List<String> signingSecrets = listFromEnvironment("OFFLOAD_SIGNING_SECRETS");
    // Tokens come only from the environment: a command-line option would show them in `ps`.
    SecurityConfig security =
        new SecurityConfig(
            SecurityConfig.Mode.parse(mode),
            listFromEnvironment("OFFLOAD_API_TOKENS"),
            allowTargets);
    ServerConfig config =
        new ServerConfig(
            bind,
            port,
            dataDir,
            maxPayload,
            leaseTimeout,
            maxInFlight,
            DispatchConfig.DEFAULT_POLL_INTERVAL,
            sqliteSync.equals("full"),
            signingSecrets,
            WebhookConfig.DEFAULT,
            databaseUrl,
            shutdownGrace,
            security,
            new RetentionDefaults(retainSucceeded, retainFailed),
            publicUrl);
    List<ScheduleDefinition> schedules =
        schedulesFile == null
            ? List.of()
            : ScheduleFile.read(
                schedulesFile,
                new ScheduleRequestParser(
                    new TaskRequestParser(maxPayload, security.targetGuard())),
                Instant.now());
    OffloadServer server = OffloadServer.start(config);
    for (ScheduleDefinition schedule : schedules) server.engine().schedules().put(schedule);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  server.close();
                  Logging.stop();
                  stopped.countDown();
                },
                "offload-shutdown"));
    stopped.await();
    return 0;
  }

  private static List<String> listFromEnvironment(String variable) {
    String value = System.getenv(variable);
    return value == null || value.isBlank()
        ? List.of()
        : Arrays.stream(value.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
  }
}
