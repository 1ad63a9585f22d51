package dev.offload.dist;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The release tarball unpacked with {@code tar} into an empty folder, and its {@code bin/offload}
 * run as a separate process with exactly the environment a test gives it (nothing inherited).
 */
final class UnpackedRelease {
  /** Built by the assembly in this module's package phase, before failsafe runs. */
  static final Path TARBALL = Path.of(System.getProperty("offload.tarball"));

  static final String VERSION = System.getProperty("offload.version");

  /** What a finished command left behind. */
  record Result(int exitCode, String out, String err) {
    @Override
    public String toString() {
      return "exit " + exitCode + "\n--- stdout ---\n" + out + "\n--- stderr ---\n" + err;
    }
  }

  final Path home;

  private UnpackedRelease(Path home) {
    this.home = home;
  }

  static UnpackedRelease unpackInto(Path emptyFolder) throws IOException, InterruptedException {
    if (!Files.isRegularFile(TARBALL))
      throw new IllegalStateException(TARBALL + " is missing; run the package phase first");
    Process tar =
        new ProcessBuilder("tar", "-xzf", TARBALL.toString(), "-C", emptyFolder.toString())
            .redirectErrorStream(true)
            .start();
    String output = new String(tar.getInputStream().readAllBytes());
    if (!tar.waitFor(2, TimeUnit.MINUTES) || tar.exitValue() != 0)
      throw new IllegalStateException("tar failed: " + output);
    return new UnpackedRelease(emptyFolder.resolve("offload-" + VERSION));
  }

  Path launcher() {
    return home.resolve("bin/offload");
  }

  /** Every file of the release, relative to its folder, in order. */
  List<String> files() throws IOException {
    try (Stream<Path> walk = Files.walk(home)) {
      return walk.filter(Files::isRegularFile)
          .map(file -> home.relativize(file).toString())
          .sorted()
          .toList();
    }
  }

  /** Starts {@code command args…} in {@code workDir}, its output (both streams) in {@code log}. */
  static Process start(
      Path command, Path workDir, Map<String, String> env, Path log, String... args)
      throws IOException {
    return builder(command, workDir, env, args)
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
  }

  /** Runs {@code command args…} to its end; fails when it runs longer than {@code timeout}. */
  static Result run(
      Path command, Path workDir, Map<String, String> env, Duration timeout, String... args)
      throws IOException, InterruptedException {
    Path out = Files.createTempFile(workDir, "run-", ".out");
    Path err = Files.createTempFile(workDir, "run-", ".err");
    Process process =
        builder(command, workDir, env, args)
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .start();
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new AssertionError(
            command
                + " "
                + String.join(" ", args)
                + " did not end within "
                + timeout
                + "\n"
                + new Result(-1, Files.readString(out), Files.readString(err)));
      }
      return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
    } finally {
      process.destroyForcibly();
    }
  }

  private static ProcessBuilder builder(
      Path command, Path workDir, Map<String, String> env, String... args) {
    List<String> line = new ArrayList<>(List.of(command.toString()));
    line.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(line).directory(workDir.toFile());
    builder.environment().clear();
    builder.environment().putAll(env);
    return builder;
  }
}
