package dev.offload.bench;

import dev.offload.server.OffloadServer;
import dev.offload.server.ServerConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * End-to-end throughput: N tasks created one per request by concurrent producers, each calling a
 * trivially fast local target; timed from the first create to the target's N-th distinct task.
 * The baseline is the same client posting straight to the same target in the same run.
 */
@Command(name = "offload-bench", mixinStandardHelpOptions = true,
    description = "End-to-end tasks/s against a trivially fast local target, with a same-run baseline.")
public final class EndToEndBench implements Callable<Integer> {
  @Option(names = "--tasks", defaultValue = "10000", description = "Tasks to run (default ${DEFAULT-VALUE}).")
  int tasks;

  @Option(names = "--connections", defaultValue = "64", description = "Concurrent producers (default ${DEFAULT-VALUE}).")
  int connections;

  @Option(names = "--store", defaultValue = "sqlite", description = "sqlite or postgres (default ${DEFAULT-VALUE}).")
  String store;

  @Option(names = "--nodes", defaultValue = "1", description = "Offload nodes sharing the store; postgres only (default ${DEFAULT-VALUE}).")
  int nodes;

  @Option(names = "--database-url", defaultValue = "jdbc:postgresql://127.0.0.1:5432/test?user=root",
      description = "PostgreSQL to use; the bench works in a schema of its own and drops it (default ${DEFAULT-VALUE}).")
  String databaseUrl;

  public static void main(String[] args) {
    System.exit(new CommandLine(new EndToEndBench()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    if (!store.equals("sqlite") && !store.equals("postgres")) throw new IllegalArgumentException("--store is sqlite or postgres");
    if (store.equals("sqlite") && nodes != 1) throw new IllegalArgumentException("SQLite runs one node");
    String schema = store.equals("postgres") ? createSchema() : null;
    Path dataDir = Files.createTempDirectory("offload-bench");
    List<OffloadServer> servers = new ArrayList<>();
    try (SinkTarget target = new SinkTarget();
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
      String body = "{\"callbackUrl\":\"" + target.url() + "\",\"payload\":{\"n\":1}}";
      double baseline = run(tasks, connections, i -> post(client, URI.create(target.url()), body));

      ServerConfig config = ServerConfig.defaults().withPort(0);
      if (schema != null) config = config.withDatabaseUrl(schemaUrl(schema));
      for (int n = 0; n < nodes; n++) servers.add(OffloadServer.start(config.withDataDir(dataDir.resolve("node" + n))));
      List<URI> creates = servers.stream().map(s -> URI.create("http://127.0.0.1:" + s.port() + "/v1/tasks")).toList();

      long start = System.nanoTime();
      double enqueueRate = run(tasks, connections, i -> post(client, creates.get(i % creates.size()), body));
      double enqueueSeconds = (System.nanoTime() - start) / 1e9;
      waitFor(() -> target.distinctTasks() >= tasks, Duration.ofMinutes(10));
      double seconds = (System.nanoTime() - start) / 1e9;
      double endToEnd = tasks / seconds;

      System.out.printf(Locale.ROOT, "%nstore=%s nodes=%d tasks=%,d connections=%d%n", store, nodes, tasks, connections);
      System.out.printf(Locale.ROOT, "baseline  client -> target directly      %,9.0f req/s%n", baseline);
      System.out.printf(Locale.ROOT, "enqueue   202s in %6.2fs                  %,9.0f tasks/s  (%.2fx baseline)%n",
          enqueueSeconds, enqueueRate, enqueueRate / baseline);
      System.out.printf(Locale.ROOT, "end2end   first create -> last call %6.2fs %,9.0f tasks/s  (%.2fx baseline)%n",
          seconds, endToEnd, endToEnd / baseline);
      System.out.printf(Locale.ROOT, "target    %,d calls for %,d distinct tasks%n", target.hits() - tasks, target.distinctTasks());
    } finally {
      servers.forEach(OffloadServer::close);
      if (schema != null) dropSchema(schema);
    }
    return 0;
  }

  private interface Call {
    void run(int index) throws Exception;
  }

  /** Runs {@code count} calls over {@code connections} workers; returns calls per second. */
  private static double run(int count, int connections, Call call) throws Exception {
    AtomicInteger next = new AtomicInteger();
    long start = System.nanoTime();
    try (ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<?>> running = new ArrayList<>();
      for (int w = 0; w < connections; w++) {
        running.add(workers.submit(() -> {
          for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) call.run(i);
          return null;
        }));
      }
      for (Future<?> f : running) f.get();
    }
    return count / ((System.nanoTime() - start) / 1e9);
  }

  private static void post(HttpClient client, URI uri, String body) throws IOException, InterruptedException {
    HttpResponse<Void> response = client.send(HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.discarding());
    if (response.statusCode() >= 300) throw new IllegalStateException(uri + " answered " + response.statusCode());
  }

  /** Polls a counter of the benchmark's own target; the figure's resolution is 5 ms. */
  private static void waitFor(BooleanSupplier condition, Duration atMost) throws InterruptedException {
    long deadline = System.nanoTime() + atMost.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) throw new IllegalStateException("not done within " + atMost);
      Thread.sleep(5);
    }
  }

  private String createSchema() throws SQLException {
    String schema = "offload_bench_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    try (Connection c = DriverManager.getConnection(databaseUrl); Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA " + schema);
    }
    return schema;
  }

  private String schemaUrl(String schema) {
    return databaseUrl + (databaseUrl.contains("?") ? "&" : "?") + "currentSchema=" + schema;
  }

  private void dropSchema(String schema) throws SQLException {
    try (Connection c = DriverManager.getConnection(databaseUrl); Statement s = c.createStatement()) {
      s.execute("DROP SCHEMA " + schema + " CASCADE");
    }
  }
}
