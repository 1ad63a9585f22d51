package dev.offload.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BooleanSupplier;

/**
 * The peer Offload is measured against: BullMQ on Redis, as {@code offload-bench/peer/bullmq} runs
 * it. One producer process takes Offload's create API over HTTP and adds a job a task; one worker
 * process runs {@code concurrency} jobs at once, each a POST of the payload to its target. Each run
 * uses a queue of its own, which the producer removes from Redis when it stops.
 */
final class BullmqPeer implements TaskSystem, AutoCloseable {
  private static final Duration READY_WITHIN = Duration.ofSeconds(60);
  private static final Duration STOP_WITHIN = Duration.ofSeconds(30);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path workDir;
  private final LoadClient client;
  private final RedisAddress redis;
  private final int port;
  private ChildProcess producer;
  private ChildProcess worker;
  private long redisPid;
  private boolean keepLogs;

  private BullmqPeer(Path workDir, LoadClient client, RedisAddress redis, int port) {
    this.workDir = workDir;
    this.client = client;
    this.redis = redis;
    this.port = port;
  }

  /**
   * Installs the peer's packages if needed, starts the producer and the worker, and waits until the
   * worker is seen.
   */
  static BullmqPeer start(BenchConfig config, LoadClient client, PrintStream progress)
      throws Exception {
    PeerInstall.ensure(config.peerDir(), progress);
    RedisAddress redis = config.redis();
    if (!redis.answers())
      throw new IllegalStateException(
          "no Redis answers at " + redis + "; start it or pass --redis");
    BullmqPeer peer =
        new BullmqPeer(
            Files.createTempDirectory("offload-bench-peer-"),
            client,
            redis,
            ChildProcess.freePort());
    try {
      peer.startProcesses(config);
      peer.awaitReady();
      return peer;
    } catch (Exception e) {
      peer.keepLogs = true;
      peer.close();
      throw e;
    }
  }

  private void startProcesses(BenchConfig config) throws IOException {
    Map<String, String> environment =
        Map.of(
            "REDIS_HOST",
            redis.host(),
            "REDIS_PORT",
            String.valueOf(redis.port()),
            "QUEUE",
            "offload-bench-" + UUID.randomUUID().toString().substring(0, 8),
            "PORT",
            String.valueOf(port),
            "CONCURRENCY",
            String.valueOf(config.concurrency()));
    Path dir = config.peerDir().toAbsolutePath();
    producer =
        ChildProcess.start(
            "BullMQ producer",
            List.of("node", "producer.js"),
            environment,
            dir,
            workDir.resolve("producer.log"),
            STOP_WITHIN);
    worker =
        ChildProcess.start(
            "BullMQ worker",
            List.of("node", "worker.js"),
            environment,
            dir,
            workDir.resolve("worker.log"),
            STOP_WITHIN);
  }

  private void awaitReady() throws InterruptedException {
    Poll.until(
        () -> state().map(s -> s.path("workers").asInt() > 0).orElse(false),
        100,
        System.nanoTime() + READY_WITHIN.toNanos(),
        "the BullMQ peer's start",
        this::requireAlive);
    redisPid = state().orElseThrow().path("redisPid").asLong();
  }

  @Override
  public URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  @Override
  public long awaitDone(BooleanSupplier sinkDone, Duration within, String what)
      throws InterruptedException {
    long deadline = System.nanoTime() + within.toNanos();
    Poll.until(sinkDone, 2, deadline, what + " (target side)", this::requireAlive);
    long done =
        Poll.until(
            () -> requireState().path("unfinished").asLong() == 0,
            10,
            deadline,
            what + " (BullMQ side)",
            this::requireAlive);
    long failed = requireState().path("failed").asLong();
    if (failed > 0)
      throw new IllegalStateException(
          what + ": " + failed + " BullMQ jobs failed; see " + workDir.resolve("worker.log"));
    return done;
  }

  /**
   * The producer, the worker and, when it runs on this machine, redis-server (whatever else it
   * serves meanwhile counts too).
   */
  @Override
  public Map<String, CpuMeter.Pids> processes() {
    Map<String, CpuMeter.Pids> groups = new LinkedHashMap<>();
    groups.put("producer", () -> List.of(producer.pid()));
    groups.put("worker", () -> List.of(worker.pid()));
    if (redis.isLocal()) groups.put("redis-server", () -> List.of(redisPid));
    return groups;
  }

  private void requireAlive() {
    producer.requireAlive();
    worker.requireAlive();
  }

  /**
   * The producer's {@code GET /state}: jobs unfinished, failed and completed, workers seen,
   * redis-server's pid.
   */
  private Optional<JsonNode> state() {
    try {
      LoadClient.Reply reply = client.getNow(uri("/state"));
      return reply.ok() ? Optional.of(JSON.readTree(reply.body())) : Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private JsonNode requireState() {
    return state()
        .orElseThrow(
            () -> new IllegalStateException("the BullMQ producer did not answer GET /state"));
  }

  /** After a failure: keep the processes' logs, and say where they are. */
  String keepLogs() {
    keepLogs = true;
    return "BullMQ logs kept in "
        + workDir
        + "; the worker's end:\n"
        + (worker == null ? "" : worker.logTail(20));
  }

  /** Stops the worker, then the producer, which removes the run's queue from Redis. */
  @Override
  public void close() throws IOException {
    try {
      if (worker != null) worker.close();
    } finally {
      if (producer != null) producer.close();
    }
    if (!keepLogs) {
      try (var files = Files.list(workDir)) {
        for (Path file : files.toList()) Files.delete(file);
      }
      Files.delete(workDir);
    }
  }
}
