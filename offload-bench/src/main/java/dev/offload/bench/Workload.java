package dev.offload.bench;

import java.util.List;

/**
 * One of the workloads, run against a fresh server that {@link BenchRun} starts and stops.
 */
interface Workload {
  String id();

  List<Figure> run(BenchRun run, ServerUnderTest server) throws Exception;

  static Workload named(String id) {
    return switch (id) {
      case "w1" -> new W1Enqueue();
      case "w2" -> new W2EndToEnd();
      case "w3" -> new W3Latency();
      case "w4" -> new W4SlowTasks();
      case "w5" -> new W5Backlog();
      case "w6" -> new W6History();
      case "purge" -> new PurgeDuringW2();
      case "soak" -> new Soak();
      default -> throw new IllegalArgumentException("unknown workload " + id);
    };
  }
}
