package dev.offload.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * One server lifetime on a fresh store, in a temp dir holding its data and log. Closing stops the
 * server, drops the store and deletes the dir, unless the server died: then the log is kept.
 */
final class ServerUnderTest implements AutoCloseable {
  private final Path workDir;
  private final FreshStore store;
  private final ServerProcess process;
  private volatile boolean keepLog;

  private ServerUnderTest(Path workDir, FreshStore store, ServerProcess process) {
    this.workDir = workDir;
    this.store = store;
    this.process = process;
  }

  static ServerUnderTest start(BenchConfig config, String storeName, LoadClient probe) throws Exception {
    Path workDir = Files.createTempDirectory("offload-bench-");
    FreshStore store = FreshStore.create(storeName, workDir, config.databaseUrl());
    try {
      List<String> serverArgs = new ArrayList<>(store.serverArgs());
      serverArgs.addAll(config.serverArgs());
      ServerProcess process = ServerProcess.start(config.jar(), config.serverJavaOptions(), serverArgs,
          workDir.resolve("server.log"), probe);
      return new ServerUnderTest(workDir, store, process);
    } catch (Exception e) {
      try {
        store.close();
      } catch (SQLException dropFailed) {
        e.addSuppressed(dropFailed);
      }
      throw e;
    }
  }

  URI uri(String path) {
    return process.uri(path);
  }

  ServerProcess process() {
    return process;
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
    return "server log kept in " + workDir.resolve("server.log") + "; its end:\n" + process.logTail(20);
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
      paths.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.delete(p);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    }
  }
}
