package dev.offload.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.NullNode;
import java.math.BigDecimal;
import picocli.CommandLine;

/**
 * A limit on the command line: a number, passed on for the server to check its range, or {@code
 * none} (JSON null).
 */
final class LimitConverter implements CommandLine.ITypeConverter<JsonNode> {
  @Override
  public JsonNode convert(String value) {
    if (value.strip().equalsIgnoreCase("none")) return NullNode.getInstance();
    try {
      return DecimalNode.valueOf(new BigDecimal(value.strip()));
    } catch (NumberFormatException e) {
      throw new CommandLine.TypeConversionException(
          "'" + value + "' is neither a number nor 'none'");
    }
  }
}
