package dev.offload.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code offload serve} in a process of its own, as users run it, so the producer and the sink
 * never share its JVM (heap, GC, JIT). Output goes to a log file whose tail is shown if it dies.
 */
final class ServerProcess implements AutoCloseable {
  private static final Duration READY_WITHIN = Duration.ofSeconds(90);
  // A little more than the server's default --shutdown-grace (30s) before it is killed.
  private static final Duration STOP_WITHIN = Duration.ofSeconds(40);

  private final Process process;
  private final int port;
  private final Path log;

  private ServerProcess(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  /** Starts the jar with the bench's own {@code java} on a free loopback port and waits for /readyz. */
  static ServerProcess start(Path jar, List<String> javaOptions, List<String> serveArgs, Path log, LoadClient probe)
      throws IOException, InterruptedException {
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException("no server jar at " + jar.toAbsolutePath()
          + "; build it with ./build -q -DskipTests package, or pass --jar");
    }
    int port = freePort();
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.add("--enable-native-access=ALL-UNNAMED");
    command.addAll(javaOptions);
    command.addAll(List.of("-jar", jar.toAbsolutePath().toString(), "serve", "--port", String.valueOf(port)));
    command.addAll(serveArgs);
    Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    ServerProcess server = new ServerProcess(process, port, log);
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
    if (!process.isAlive()) {
      throw new IllegalStateException("the server exited with code " + process.exitValue() + "; end of " + log + ":\n" + logTail(40));
    }
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
        throw new IllegalStateException("the server was not ready within " + READY_WITHIN.toSeconds() + "s; end of " + log + ":\n" + logTail(40));
      }
      Thread.sleep(50);
    }
  }

  String logTail(int lines) {
    try {
      List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(cannot read " + log + ": " + e.getMessage() + ")";
    }
  }

  /** SIGTERM, then a kill if it has not gone within {@link #STOP_WITHIN} (or the bench is interrupted). */
  @Override
  public void close() {
    if (!process.isAlive()) return;
    process.destroy();
    try {
      if (process.waitFor(STOP_WITHIN.toMillis(), TimeUnit.MILLISECONDS)) return;
      System.err.println("bench: the server did not stop within " + STOP_WITHIN.toSeconds() + "s of SIGTERM; killing it");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    process.destroyForcibly();
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
