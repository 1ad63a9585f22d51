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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * End-to-end throughput on the embedded store: N tasks created one per request by concurrent
 * producers, each calling a trivially fast local target; measured from the first create to the
 * target's N-th distinct task. The baseline is the same client posting straight to the target.
 *
 * <p>Usage: {@code java -jar offload-bench/target/offload-bench.jar [tasks] [connections]}.
 */
public final class EndToEndBench {
  private EndToEndBench() {}

  public static void main(String[] args) throws Exception {
    int tasks = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    int connections = args.length > 1 ? Integer.parseInt(args[1]) : 64;
    Path dataDir = Files.createTempDirectory("offload-bench");
    try (SinkTarget target = new SinkTarget();
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
      String body = "{\"callbackUrl\":\"" + target.url() + "\",\"payload\":{\"n\":1}}";
      double baseline = run(tasks, connections, i -> post(client, URI.create(target.url()), body));
      System.out.printf(Locale.ROOT, "baseline  client -> target directly: %,d requests in %.2fs = %,.0f req/s%n",
          tasks, tasks / baseline, baseline);

      long hitsBefore = target.hits();
      try (OffloadServer server = OffloadServer.start(ServerConfig.defaults().withPort(0).withDataDir(dataDir))) {
        URI create = URI.create("http://127.0.0.1:" + server.port() + "/v1/tasks");
        long start = System.nanoTime();
        double enqueueRate = run(tasks, connections, i -> post(client, create, body));
        double enqueueSeconds = (System.nanoTime() - start) / 1e9;
        waitFor(() -> target.distinctTasks() >= tasks, Duration.ofMinutes(10));
        double seconds = (System.nanoTime() - start) / 1e9;
        double endToEnd = tasks / seconds;
        System.out.printf(Locale.ROOT, "enqueue   %,d tasks accepted (202) in %.2fs = %,.0f tasks/s (%.2fx baseline)%n",
            tasks, enqueueSeconds, enqueueRate, enqueueRate / baseline);
        System.out.printf(Locale.ROOT, "end2end   %,d tasks first create -> last target call in %.2fs = %,.0f tasks/s (%.2fx baseline)%n",
            tasks, seconds, endToEnd, endToEnd / baseline);
        System.out.printf(Locale.ROOT, "target calls: %,d for %,d tasks%n", target.hits() - hitsBefore, target.distinctTasks());
      }
    }
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

  private static void waitFor(java.util.function.BooleanSupplier condition, Duration atMost) throws InterruptedException {
    long deadline = System.nanoTime() + atMost.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) throw new IllegalStateException("not done within " + atMost);
      Thread.sleep(5);
    }
  }
}
