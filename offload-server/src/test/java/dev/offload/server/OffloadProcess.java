package dev.offload.server;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.offload.server.api.ContractCheckedHttpClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The shaded jar ({@code target/offload.jar}) run as a separate JVM, as a user runs it: a
 * long-lived {@code serve} process with its output in a log file, or a one-shot command with its
 * exit code.
 */
public final class OffloadProcess implements AutoCloseable {
  /**
   * Built in the package phase, before failsafe runs; failsafe's working directory is the module.
   */
  public static final Path JAR = Path.of("target/offload.jar").toAbsolutePath();

  private static final ObjectMapper JSON = new ObjectMapper();

  /** What a finished one-shot command left behind. */
  public record Result(int exitCode, String out, String err) {
    @Override
    public String toString() {
      return "exit " + exitCode + "\n--- stdout ---\n" + out + "\n--- stderr ---\n" + err;
    }
  }

  private final Process process;
  private final Path log;
  private final String name;

  /** Holds every exchange with the server to the OpenAPI document. */
  private final ContractCheckedHttpClient http = new ContractCheckedHttpClient(() -> this.port);

  private int port = -1;

  private OffloadProcess(String name, Process process, Path log) {
    this.name = name;
    this.process = process;
    this.log = log;
  }

  /**
   * Starts {@code offload serve --port PORT --data-dir DIR extra…} in {@code workDir}; output goes
   * to {@code workDir/name.log}.
   */
  public static OffloadProcess serve(
      String name, Path workDir, int port, Path dataDir, String... extra) throws IOException {
    List<String> args =
        new ArrayList<>(
            List.of("serve", "--port", Integer.toString(port), "--data-dir", dataDir.toString()));
    args.addAll(List.of(extra));
    OffloadProcess process = start(name, workDir, Map.of(), args.toArray(String[]::new));
    process.port = port;
    return process;
  }

  /**
   * Starts the jar with {@code args} and {@code env} (on top of this JVM's environment minus any
   * OFFLOAD_* variable).
   */
  public static OffloadProcess start(
      String name, Path workDir, Map<String, String> env, String... args) throws IOException {
    Path log = workDir.resolve(name + ".log");
    ProcessBuilder builder =
        builder(workDir, env, args).redirectErrorStream(true).redirectOutput(log.toFile());
    return new OffloadProcess(name, builder.start(), log);
  }

  /**
   * Runs a command that ends by itself; kills it and fails when it runs longer than {@code
   * timeout}.
   */
  public static Result run(Path workDir, Duration timeout, String... args)
      throws IOException, InterruptedException {
    return run(workDir, timeout, Map.of(), args);
  }

  /**
   * {@link #run(Path, Duration, String...)} with {@code env} on top of this JVM's environment minus
   * any OFFLOAD_* variable.
   */
  public static Result run(Path workDir, Duration timeout, Map<String, String> env, String... args)
      throws IOException, InterruptedException {
    Path out = Files.createTempFile(workDir, "cli-", ".out");
    Path err = Files.createTempFile(workDir, "cli-", ".err");
    Process process =
        builder(workDir, env, args)
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .start();
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new AssertionError(
            "'offload "
                + String.join(" ", args)
                + "' did not end within "
                + timeout
                + "\n"
                + new Result(-1, Files.readString(out), Files.readString(err)));
      }
      return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
    } finally {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }

  private static ProcessBuilder builder(Path workDir, Map<String, String> env, String... args) {
    if (!Files.isRegularFile(JAR))
      throw new IllegalStateException(JAR + " is missing; run the package phase first");
    List<String> command =
        new ArrayList<>(
            List.of(javaBinary(), "--enable-native-access=ALL-UNNAMED", "-jar", JAR.toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile());
    builder.environment().keySet().removeIf(key -> key.startsWith("OFFLOAD_"));
    builder.environment().putAll(env);
    return builder;
  }

  /** The JVM that runs this test, so the jar runs on the same Java version. */
  private static String javaBinary() {
    return ProcessHandle.current()
        .info()
        .command()
        .orElseGet(() -> Path.of(System.getProperty("java.home"), "bin", "java").toString());
  }

  /** A loopback port that was free a moment ago. */
  public static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public OffloadProcess onPort(int newPort) {
    this.port = newPort;
    return this;
  }

  public String url(String path) {
    return "http://127.0.0.1:" + port + path;
  }

  /** Waits until {@code GET path} answers 200; fails at once when the process exits first. */
  public OffloadProcess awaitUp(String path) {
    // a JVM on a loaded 2-core machine can take most of a minute to start
    await("offload " + name + " answering " + path)
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(50))
        .until(
            () -> {
              if (!process.isAlive())
                throw new IllegalStateException(
                    name + " exited with " + process.exitValue() + ":\n" + log());
              try {
                return get(path).status() == 200;
              } catch (IllegalStateException notYet) {
                return false;
              }
            });
    return this;
  }

  /** The contract-checked client, for an {@code OffloadClient} against this server. */
  public HttpClient http() {
    return http;
  }

  public RunningServer.Answer get(String path) {
    return send(HttpRequest.newBuilder(URI.create(url(path))).GET());
  }

  public RunningServer.Answer post(String path, String json) {
    return send(
        HttpRequest.newBuilder(URI.create(url(path)))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json)));
  }

  public RunningServer.Answer send(HttpRequest.Builder request) {
    try {
      HttpResponse<String> response =
          http.send(
              request.timeout(Duration.ofSeconds(30)).build(),
              HttpResponse.BodyHandlers.ofString());
      String text = response.body();
      JsonNode body = text == null || text.isEmpty() ? null : JSON.readTree(text);
      return new RunningServer.Answer(response.statusCode(), response.headers(), body, text);
    } catch (IOException e) {
      throw new IllegalStateException(name + ": request failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  public long pid() {
    return process.pid();
  }

  /**
   * Asks the process to stop (SIGTERM: shutdown hooks run) and waits up to {@code atMost} for it to
   * exit.
   */
  public boolean terminate(Duration atMost) throws InterruptedException {
    process.destroy();
    return process.waitFor(atMost.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Kills the process the hard way (SIGKILL: no shutdown hook runs) and waits until it is gone. */
  public void kill() {
    process.destroyForcibly();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS))
        throw new IllegalStateException(name + " (pid " + process.pid() + ") did not die");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  public String log() {
    try {
      return Files.exists(log) ? Files.readString(log) : "(no output)";
    } catch (IOException e) {
      return "(cannot read " + log + ": " + e.getMessage() + ")";
    }
  }

  public void printLog() {
    System.out.println("===== output of offload " + name + " (pid " + process.pid() + ") =====");
    System.out.println(log());
    System.out.println("===== end of " + name + " =====");
  }

  @Override
  public void close() {
    kill();
    http.close();
    http.assertNoMismatch();
  }
}
