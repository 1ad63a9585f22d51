package dev.offload.server.cli;

import dev.offload.task.Retention;
import picocli.CommandLine;

/**
 * Reads {@code forever} or a duration ({@code 7d}, {@code 12h}, {@code PT36H}) on the command line.
 */
public final class RetentionConverter implements CommandLine.ITypeConverter<Retention> {
  @Override
  public Retention convert(String value) {
    try {
      return Retention.parse(value);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.TypeConversionException("'" + value + "' " + Retention.EXPECTED);
    }
  }
}
