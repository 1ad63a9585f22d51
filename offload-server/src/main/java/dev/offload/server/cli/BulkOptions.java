package dev.offload.server.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The options of {@code offload tasks bulk retry|cancel|delete}: the server, the filter (tasks that
 * match every filter option) and how far to go.
 */
public final class BulkOptions {
  @Spec(Spec.Target.MIXEE)
  CommandSpec spec;

  @Mixin ServerOption server;

  @Option(names = "--dry-run", description = "Only print how many tasks match.")
  boolean dryRun;

  @Option(names = "--no-wait", description = "Start the action and print its id, then exit.")
  boolean noWait;

  @Option(names = "--queue", paramLabel = "QUEUE", description = "Only this queue's tasks.")
  String queue;

  @Option(
      names = "--status",
      paramLabel = "STATUS",
      description =
          "Only tasks in this status: scheduled, queued, running, waiting, retrying, succeeded, failed, cancelled.")
  String status;

  @Option(
      names = "--name",
      paramLabel = "NAME",
      description = "Only the pull tasks of this worker function.")
  String name;

  @Option(
      names = "--schedule",
      paramLabel = "NAME",
      description = "Only the runs of this schedule.")
  String schedule;

  @Option(
      names = "--created-after",
      paramLabel = "TIME",
      converter = InstantConverter.class,
      description = "Only tasks created at or after this RFC 3339 time, e.g. 2026-05-01T12:00:00Z.")
  Instant createdAfter;

  @Option(
      names = "--created-before",
      paramLabel = "TIME",
      converter = InstantConverter.class,
      description = "Only tasks created before this RFC 3339 time.")
  Instant createdBefore;

  @Option(
      names = "--error-contains",
      paramLabel = "TEXT",
      description = "Only tasks whose last error contains this text.")
  String errorContains;

  @Option(
      names = "--metadata",
      paramLabel = "KEY=VALUE",
      description = "Only tasks with this metadata entry; repeat for more (all must match).")
  Map<String, String> metadata;

  /**
   * The API's {@code filter} object; a usage error when no option is given, so that no command
   * touches every task by accident.
   */
  ObjectNode filter() {
    ObjectNode filter = TaskBody.mapper().createObjectNode();
    if (queue != null) filter.put("queue", queue);
    if (status != null) filter.put("status", status);
    if (name != null) filter.put("name", name);
    if (schedule != null) filter.put("scheduleName", schedule);
    if (createdAfter != null) filter.put("createdAfter", createdAfter.toString());
    if (createdBefore != null) filter.put("createdBefore", createdBefore.toString());
    if (errorContains != null) filter.put("lastErrorContains", errorContains);
    if (metadata != null && !metadata.isEmpty()) {
      ObjectNode entries = filter.putObject("metadata");
      new TreeMap<>(metadata).forEach(entries::put);
    }
    if (filter.isEmpty())
      throw new ParameterException(
          spec.commandLine(),
          "give at least one filter: --queue, --status, --name, --schedule, --created-after,"
              + " --created-before, --error-contains or --metadata");
    return filter;
  }
}
