package dev.offload.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A process's memory and threads from Linux's {@code /proc/<pid>/status}.
 *
 * @param rssKb VmRSS, resident now
 * @param peakRssKb VmHWM, the kernel's high-water mark of the resident set
 */
record ProcStatus(long rssKb, long peakRssKb, int threads) {
  /** Empty where there is no /proc (not Linux) or the process is gone. */
  static Optional<ProcStatus> read(long pid) {
    try {
      long rss = -1;
      long hwm = -1;
      int threads = -1;
      for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
        if (line.startsWith("VmRSS:")) rss = kilobytes(line);
        else if (line.startsWith("VmHWM:")) hwm = kilobytes(line);
        else if (line.startsWith("Threads:")) threads = Integer.parseInt(line.substring(8).strip());
      }
      return rss < 0 || hwm < 0 || threads < 0
          ? Optional.empty()
          : Optional.of(new ProcStatus(rss, hwm, threads));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** The larger of each field: a running maximum over samples. */
  ProcStatus max(ProcStatus other) {
    return new ProcStatus(
        Math.max(rssKb, other.rssKb),
        Math.max(peakRssKb, other.peakRssKb),
        Math.max(threads, other.threads));
  }

  double peakRssMiB() {
    return Math.max(rssKb, peakRssKb) / 1024.0;
  }

  double rssMiB() {
    return rssKb / 1024.0;
  }

  private static long kilobytes(String line) {
    String value = line.substring(line.indexOf(':') + 1).strip();
    return Long.parseLong(value.substring(0, value.indexOf(' ')));
  }
}
