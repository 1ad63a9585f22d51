package dev.offload.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Where and on what the figures were measured, so a reader can tell runs apart. */
record MachineInfo(
    int cores,
    String cpu,
    long memoryMiB,
    String os,
    String java,
    String date,
    String loadAverage,
    String gitCommit,
    Boolean gitDirty) {
  static MachineInfo collect(Path jar) {
    Path repo = jar.toAbsolutePath().getParent();
    String commit = git(repo, "rev-parse", "HEAD");
    String status = commit == null ? null : git(repo, "status", "--porcelain");
    return new MachineInfo(
        Runtime.getRuntime().availableProcessors(),
        procField("/proc/cpuinfo", "model name"),
        totalMemoryMiB(),
        System.getProperty("os.name")
            + " "
            + System.getProperty("os.version")
            + " "
            + System.getProperty("os.arch"),
        Runtime.version() + " (" + System.getProperty("java.vendor") + ")",
        Instant.now().toString(),
        readLoadAverage(),
        commit,
        status == null ? null : !status.isEmpty());
  }

  /** 1, 5 and 15-minute load averages at the start: a busy machine makes every figure noisier. */
  private static String readLoadAverage() {
    try {
      String[] fields = Files.readString(Path.of("/proc/loadavg")).strip().split(" ");
      return fields[0] + " " + fields[1] + " " + fields[2];
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private static long totalMemoryMiB() {
    String total = procField("/proc/meminfo", "MemTotal");
    if (total == null) return -1;
    return Long.parseLong(total.replaceAll("\\D", "")) / 1024;
  }

  /** The value of the first {@code key: value} line, or null (not Linux). */
  private static String procField(String file, String key) {
    try {
      for (String line : Files.readAllLines(Path.of(file))) {
        if (line.startsWith(key)) return line.substring(line.indexOf(':') + 1).strip();
      }
    } catch (IOException | RuntimeException e) {
      return null;
    }
    return null;
  }

  /** Git's answer, or null where there is no git or no repository. */
  private static String git(Path dir, String... args) {
    if (dir == null) return null;
    try {
      List<String> command = new java.util.ArrayList<>(List.of("git", "-C", dir.toString()));
      command.addAll(List.of(args));
      Process git = new ProcessBuilder(command).redirectErrorStream(false).start();
      git.getOutputStream().close();
      String out = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      if (!git.waitFor(10, TimeUnit.SECONDS) || git.exitValue() != 0) return null;
      return out;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }
}
