package dev.offload.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import picocli.CommandLine;

/**
 * A queue's retention on the command line: {@code 7d}, {@code forever}, or {@code default} (JSON
 * null: the server's).
 */
public final class RetentionSettingConverter implements CommandLine.ITypeConverter<JsonNode> {
  @Override
  public JsonNode convert(String value) {
    if (value.equals("default")) return JsonNodeFactory.instance.nullNode();
    return JsonNodeFactory.instance.textNode(new RetentionConverter().convert(value).toString());
  }
}
