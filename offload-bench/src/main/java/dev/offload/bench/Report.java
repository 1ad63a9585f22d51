package dev.offload.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The figures of one run, with where they were measured; printed as a table and written as JSON.
 */
final class Report {
  /** A workload that could not finish; its message says why. */
  record Failure(String workload, String store, String message) {}

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final BenchConfig config;
  private final MachineInfo machine;
  private final List<Figure> figures = new ArrayList<>();
  private final List<Failure> failures = new ArrayList<>();

  Report(BenchConfig config, MachineInfo machine) {
    this.config = config;
    this.machine = machine;
  }

  void add(Figure figure) {
    figures.add(figure);
  }

  void addError(String workload, String store, String message) {
    failures.add(new Failure(workload, store, message));
  }

  List<Figure> figures() {
    return List.copyOf(figures);
  }

  List<Failure> failures() {
    return List.copyOf(failures);
  }

  /** A Markdown table, so the README can show it as printed. */
  String table() {
    return ReportTable.render(figures);
  }

  void writeJson(Path file) throws IOException {
    ObjectNode root = JSON.createObjectNode();
    root.set("machine", JSON.valueToTree(machine));
    ObjectNode settings = root.putObject("config");
    settings.putPOJO("stores", config.stores());
    settings.putPOJO("workloads", config.workloads());
    settings.put("tasks", config.tasks());
    settings.put("concurrency", config.concurrency());
    settings.put("batchSize", config.batchSize());
    settings.put("rate", config.rate());
    settings.put("duration", DurationText.format(config.duration()));
    settings.put("slowTasks", config.slowTasks());
    settings.put("hold", DurationText.format(config.hold()));
    settings.put("backlog", config.backlog());
    settings.put("finished", config.finished());
    settings.put("flowTasks", config.flowTasks());
    settings.put("drainWindow", DurationText.format(config.drainWindow()));
    settings.put("soakRate", config.soakRate());
    settings.put("soakDuration", DurationText.format(config.soakDuration()));
    settings.putPOJO("serverArgs", config.serverArgs());
    if (config.workloads().contains(PeerWorkload.ID))
      settings.put("redis", config.redis().toString());
    settings.put("warmup", config.warmup());
    ArrayNode list = root.putArray("figures");
    for (Figure f : figures) {
      ObjectNode item =
          list.addObject()
              .put("workload", f.workload())
              .put("store", f.store())
              .put("figure", f.name())
              .put("unit", f.unit());
      item.put("value", f.value());
      item.put("baseline", f.baseline());
      item.put("baselineUnit", f.baselineUnit());
      item.put("ratio", f.ratio());
    }
    root.set("failures", JSON.valueToTree(failures));
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) Files.createDirectories(parent);
    JSON.writeValue(file.toFile(), root);
  }
}
