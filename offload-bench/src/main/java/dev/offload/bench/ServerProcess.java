package dev.offload.bench;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code offload serve} in a process of its own, as users run it, so the producer and the sink
 * never share its JVM (heap, GC, JIT). Output goes to a log file whose tail is shown if it dies.
 */
final class ServerProcess implements AutoCloseable {
  private static final Duration READY_WITHIN = Duration.ofSeconds(90);
  // A little more than the server's default --shutdown-grace (30s) before it is killed.
  private static final Duration STOP_WITHIN = Duration.ofSeconds(40);

  private final ChildProcess process;
  private final int port;

  private ServerProcess(ChildProcess process, int port) {
    this.process = process;
    this.port = port;
  }

  /**
   * Starts the jar with the bench's own {@code java} on a free loopback port and waits for /readyz.
   */
  static ServerProcess start(
      Path jar, List<String> javaOptions, List<String> serveArgs, Path log, LoadClient probe)
      throws IOException, InterruptedException {
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(
          "no server jar at "
              + jar.toAbsolutePath()
              + "; build it with ./build -q -DskipTests package, or pass --jar");
    }
    int port = ChildProcess.freePort();
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.add("--enable-native-access=ALL-UNNAMED");
    command.addAll(javaOptions);
    command.addAll(
        List.of("-jar", jar.toAbsolutePath().toString(), "serve", "--port", String.valueOf(port)));
    command.addAll(serveArgs);
    ServerProcess server =
        new ServerProcess(
            ChildProcess.start("server", command, Map.of(), null, log, STOP_WITHIN), port);
    server.awaitReady(probe);
    return server;
  }

  URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  long pid() {
    return process.pid();
  }

  /** Fails with the end of the server's log when the process has exited. */
  void requireAlive() {
    process.requireAlive();
  }

  private void awaitReady(LoadClient probe) throws InterruptedException {
    try {
      pollReady(probe);
    } catch (RuntimeException | InterruptedException e) {
      close();
      throw e;
    }
  }

  private void pollReady(LoadClient probe) throws InterruptedException {
    long deadline = System.nanoTime() + READY_WITHIN.toNanos();
    while (true) {
      requireAlive();
      if (probe.getNow(uri("/readyz")).ok()) return;
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "the server was not ready within "
                + READY_WITHIN.toSeconds()
                + "s; end of "
                + process.log()
                + ":\n"
                + logTail(40));
      }
      Thread.sleep(50);
    }
  }

  String logTail(int lines) {
    return process.logTail(lines);
  }

  @Override
  public void close() {
    process.close();
  }
}
