package dev.offload.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A process the bench starts (the server under test, the peer's producer and worker), its output in
 * a log file whose end is shown when it dies.
 */
final class ChildProcess implements AutoCloseable {
  private final String name;
  private final Process process;
  private final Path log;
  private final Duration stopWithin;

  private ChildProcess(String name, Process process, Path log, Duration stopWithin) {
    this.name = name;
    this.process = process;
    this.log = log;
    this.stopWithin = stopWithin;
  }

  /**
   * @param directory where it runs; null for the bench's own
   * @param stopWithin how long {@link #close} waits after SIGTERM before it kills the process
   */
  static ChildProcess start(
      String name,
      List<String> command,
      Map<String, String> environment,
      Path directory,
      Path log,
      Duration stopWithin)
      throws IOException {
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    if (directory != null) builder.directory(directory.toFile());
    builder.environment().putAll(environment);
    return new ChildProcess(name, builder.start(), log, stopWithin);
  }

  long pid() {
    return process.pid();
  }

  Path log() {
    return log;
  }

  /** Fails with the end of the log when the process has exited. */
  void requireAlive() {
    if (!process.isAlive()) {
      throw new IllegalStateException(
          "the "
              + name
              + " exited with code "
              + process.exitValue()
              + "; end of "
              + log
              + ":\n"
              + logTail(40));
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

  /** SIGTERM, then a kill if it has not gone within its stop time (or the bench is interrupted). */
  @Override
  public void close() {
    if (!process.isAlive()) return;
    process.destroy();
    try {
      if (process.waitFor(stopWithin.toMillis(), TimeUnit.MILLISECONDS)) return;
      System.err.println(
          "bench: the "
              + name
              + " did not stop within "
              + stopWithin.toSeconds()
              + "s of SIGTERM; killing it");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    process.destroyForcibly();
  }

  /** A loopback port free now, for a child to listen on. */
  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
