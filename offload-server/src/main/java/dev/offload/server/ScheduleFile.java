package dev.offload.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.offload.schedule.ScheduleDefinition;
import dev.offload.server.api.FieldError;
import dev.offload.server.api.ScheduleRequestParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A schedules file for {@code offload serve --schedules}: YAML, or JSON when its name ends in
 * {@code .json}. Either a list of schedules, each with a {@code name} and the fields of a {@code
 * PUT /v1/schedules/{name}} body, or a map from name to such a body.
 */
public final class ScheduleFile {
  private static final Set<String> LISTED_FIELDS = union(ScheduleRequestParser.FIELDS, "name");

  private ScheduleFile() {}

  /**
   * Reads and validates every schedule; throws {@link IllegalArgumentException} listing every
   * problem.
   */
  public static List<ScheduleDefinition> read(
      Path file, ScheduleRequestParser parser, Instant now) {
    JsonNode root = parse(file);
    List<FieldError> errors = new ArrayList<>();
    List<ScheduleDefinition> definitions = new ArrayList<>();
    Set<String> names = new HashSet<>();
    if (root.isArray()) {
      for (int i = 0; i < root.size(); i++) {
        JsonNode item = root.get(i);
        String name = item.path("name").isTextual() ? item.get("name").textValue() : null;
        add(
            parser.parse(name, item, "[" + i + "]", LISTED_FIELDS, errors, now),
            names,
            "[" + i + "]",
            errors,
            definitions);
      }
    } else if (root.isObject()) {
      for (Map.Entry<String, JsonNode> entry : root.properties()) {
        add(
            parser.parse(
                entry.getKey(),
                entry.getValue(),
                entry.getKey(),
                ScheduleRequestParser.FIELDS,
                errors,
                now),
            names,
            entry.getKey(),
            errors,
            definitions);
      }
    } else {
      errors.add(
          new FieldError("(file)", "must be a list of schedules or a map from name to schedule"));
    }
    if (!errors.isEmpty()) {
      throw new IllegalArgumentException(
          file
              + " has invalid schedules: "
              + String.join(
                  "; ", errors.stream().map(e -> e.field() + ": " + e.message()).toList()));
    }
    return definitions;
  }

  private static void add(
      ScheduleDefinition definition,
      Set<String> names,
      String path,
      List<FieldError> errors,
      List<ScheduleDefinition> definitions) {
    if (definition == null) return;
    if (!names.add(definition.name()))
      errors.add(new FieldError(path + ".name", "\"" + definition.name() + "\" is declared twice"));
    else definitions.add(definition);
  }

  private static JsonNode parse(Path file) {
    boolean json = file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json");
    ObjectMapper mapper =
        json
            ? JsonMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build()
            : YAMLMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
    try {
      JsonNode root = mapper.readTree(Files.readAllBytes(file));
      return root == null || root.isMissingNode() ? new ObjectNode(mapper.getNodeFactory()) : root;
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          file + " is not valid " + (json ? "JSON" : "YAML") + ": " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "cannot read schedules file " + file + ": " + e.getMessage(), e);
    }
  }

  private static Set<String> union(Set<String> fields, String extra) {
    Set<String> all = new HashSet<>(fields);
    all.add(extra);
    return Set.copyOf(all);
  }
}
