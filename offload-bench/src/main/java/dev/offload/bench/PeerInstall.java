package dev.offload.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Makes the BullMQ peer's folder runnable: Node.js on the PATH, and its npm packages installed from
 * its committed lock file ({@code npm ci}) the first time, before anything is measured.
 */
final class PeerInstall {
  private static final long INSTALL_WITHIN_MINUTES = 10;

  private PeerInstall() {}

  /** Fails with what to do when Node.js is missing or the install fails. */
  static void ensure(Path peerDir, PrintStream progress) throws IOException, InterruptedException {
    if (!Files.isRegularFile(peerDir.resolve("package-lock.json"))) {
      throw new IllegalStateException(
          "no BullMQ peer at "
              + peerDir.toAbsolutePath()
              + " (package-lock.json); pass --peer-dir");
    }
    Ran node = run(List.of("node", "--version"), peerDir, 1);
    if (node == null || node.exit() != 0) {
      throw new IllegalStateException(
          "the BullMQ peer needs Node.js 20 or newer on the PATH (apt-get install nodejs npm)");
    }
    if (installed(peerDir)) return;
    progress.printf(
        "peer: installing its npm packages (npm ci in %s, node %s)%n",
        peerDir, node.output().strip());
    Ran install =
        run(List.of("npm", "ci", "--no-audit", "--no-fund"), peerDir, INSTALL_WITHIN_MINUTES);
    if (install == null)
      throw new IllegalStateException(
          "npm ci in "
              + peerDir
              + " could not start or took over "
              + INSTALL_WITHIN_MINUTES
              + " min");
    if (install.exit() != 0 || !installed(peerDir)) {
      throw new IllegalStateException(
          "npm ci in "
              + peerDir
              + " failed with code "
              + install.exit()
              + ":\n"
              + install.output());
    }
  }

  private static boolean installed(Path peerDir) {
    return Files.isDirectory(peerDir.resolve("node_modules").resolve("bullmq"));
  }

  private record Ran(int exit, String output) {}

  /** How the command ended; null when it could not start or did not end within the time. */
  private static Ran run(List<String> command, Path directory, long withinMinutes)
      throws IOException, InterruptedException {
    // To a file, not a pipe: a pipe nobody reads while waiting could fill and stall the command.
    Path output = Files.createTempFile("offload-bench-peer-", ".log");
    try {
      Process process;
      try {
        process =
            new ProcessBuilder(command)
                .directory(directory.toFile())
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .start();
      } catch (IOException e) {
        return null;
      }
      if (!process.waitFor(withinMinutes, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        return null;
      }
      return new Ran(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(output);
    }
  }
}
