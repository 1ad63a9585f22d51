package dev.offload.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * One server lifetime on a fresh store, in a temp dir holding its data and log. Closing stops the
 * server, drops the store and deletes the dir, unless the server died: then the log is kept.
 */
final class ServerUnderTest implements AutoCloseable {
  private final Path workDir;
  private final FreshStore store;
  private final BenchConfig config;
  private final LoadClient probe;
  private volatile ServerProcess process;
  private volatile boolean keepLog;

  private ServerUnderTest(Path workDir, FreshStore store, BenchConfig config, LoadClient probe) {
    this.workDir = workDir;
    this.store = store;
    this.config = config;
    this.probe = probe;
  }

  /** Work done on the store while no server runs on it. */
  interface Offline {
    void run() throws Exception;
  }

  static ServerUnderTest start(BenchConfig config, String storeName, LoadClient probe)
      throws Exception {
    Path workDir = Files.createTempDirectory("offload-bench-");
    FreshStore store = FreshStore.create(storeName, workDir, config.databaseUrl());
    try {
      ServerUnderTest server = new ServerUnderTest(workDir, store, config, probe);
      server.process = server.startProcess();
      return server;
    } catch (Exception e) {
      try {
        store.close();
      } catch (SQLException dropFailed) {
        e.addSuppressed(dropFailed);
      }
      throw e;
    }
  }

  private ServerProcess startProcess() throws Exception {
    List<String> serverArgs = new ArrayList<>(store.serverArgs());
    serverArgs.addAll(config.serverArgs());
    return ServerProcess.start(
        config.jar(), config.serverJavaOptions(), serverArgs, workDir.resolve("server.log"), probe);
  }

  /**
   * Stops the server, runs {@code work} on its store, and starts a new server on it, as an
   * operator's restart: for loads that would otherwise compete with the server's own writes
   * (SQLite's busy wait of another process loses to a server that writes without pause).
   */
  void whileStopped(Offline work) throws Exception {
    process.close();
    work.run();
    process = startProcess();
  }

  URI uri(String path) {
    return process.uri(path);
  }

  ServerProcess process() {
    return process;
  }

  /**
   * The server's process (whichever runs at the time of asking) and its store's, for {@link
   * CpuMeter}.
   */
  Map<String, CpuMeter.Pids> processes() {
    Map<String, CpuMeter.Pids> groups = new LinkedHashMap<>();
    groups.put("server", () -> List.of(process.pid()));
    groups.putAll(store.processes());
    return groups;
  }

  String storeName() {
    return store.name();
  }

  FreshStore store() {
    return store;
  }

  /** After a failed workload: keep the log, and say where it is together with its end. */
  String keepLog() {
    keepLog = true;
    return "server log kept in "
        + workDir.resolve("server.log")
        + "; its end:\n"
        + process.logTail(20);
  }

  @Override
  public void close() throws IOException, SQLException {
    boolean died = false;
    try {
      process.requireAlive();
    } catch (IllegalStateException e) {
      died = true;
    }
    try {
      process.close();
    } finally {
      store.close();
    }
    if (died) System.err.println("bench: the server had died; its log is kept in " + workDir);
    if (!died && !keepLog) deleteRecursively(workDir);
  }

  private static void deleteRecursively(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths
          .sorted(Comparator.reverseOrder())
          .forEach(
              p -> {
                try {
                  Files.delete(p);
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
    }
  }
}
