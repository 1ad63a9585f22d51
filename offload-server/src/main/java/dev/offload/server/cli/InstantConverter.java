package dev.offload.server.cli;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import picocli.CommandLine;

/** Reads an RFC 3339 time with its offset, such as {@code 2026-05-01T12:00:00Z}. */
public final class InstantConverter implements CommandLine.ITypeConverter<Instant> {
  @Override
  public Instant convert(String value) {
    try {
      return OffsetDateTime.parse(value).toInstant();
    } catch (DateTimeParseException e) {
      throw new CommandLine.TypeConversionException(
          "'" + value + "' is not an RFC 3339 time with an offset, such as 2026-05-01T12:00:00Z");
    }
  }
}
