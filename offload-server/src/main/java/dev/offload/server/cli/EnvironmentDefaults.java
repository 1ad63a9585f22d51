package dev.offload.server.cli;

import java.util.Locale;
import java.util.Map;
import picocli.CommandLine;

/** Every option {@code --some-name} defaults to the variable {@code OFFLOAD_SOME_NAME} when set. */
public final class EnvironmentDefaults implements CommandLine.IDefaultValueProvider {
  private final Map<String, String> environment;

  public EnvironmentDefaults(Map<String, String> environment) {
    this.environment = environment;
  }

  public static String variableFor(String longOption) {
    return "OFFLOAD_"
        + longOption.replaceFirst("^--", "").replace('-', '_').toUpperCase(Locale.ROOT);
  }

  @Override
  public String defaultValue(CommandLine.Model.ArgSpec argSpec) {
    if (argSpec instanceof CommandLine.Model.OptionSpec option) {
      String value = environment.get(variableFor(option.longestName()));
      if (value != null && !value.isBlank()) return value;
    }
    return argSpec.defaultValue();
  }
}
