package dev.offload.server;

import dev.offload.server.cli.EnqueueCommand;
import dev.offload.server.cli.EnvironmentDefaults;
import dev.offload.server.cli.QueuesCommand;
import dev.offload.server.cli.SchedulesCommand;
import dev.offload.server.cli.ServeCommand;
import dev.offload.server.cli.StatusCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code offload}: the command line of DESIGN.md §10. */
@Command(name = "offload", mixinStandardHelpOptions = true, versionProvider = Main.VersionProvider.class,
    description = "Durable background tasks: accept work in milliseconds, run it in the background.",
    subcommands = {ServeCommand.class, EnqueueCommand.class, StatusCommand.class, SchedulesCommand.class, QueuesCommand.class})
public final class Main implements Runnable {
  public static void main(String[] args) {
    configureLogging(args);
    CommandLine cli = new CommandLine(new Main()).setDefaultValueProvider(new EnvironmentDefaults(System.getenv()));
    cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
      commandLine.getErr().println("offload: " + e.getMessage());
      return 1;
    });
    int code = cli.execute(args);
    if (code != 0 || !isServe(args)) System.exit(code);
  }

  /** Logback reads its configuration once, at the first logger: choose it before anything logs. */
  private static void configureLogging(String[] args) {
    String format = System.getenv("OFFLOAD_LOG_FORMAT");
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--log-format") && i + 1 < args.length) format = args[i + 1];
      if (args[i].startsWith("--log-format=")) format = args[i].substring("--log-format=".length());
    }
    if ("json".equals(format)) System.setProperty("logback.configurationFile", "logback-json.xml");
  }

  private static boolean isServe(String[] args) {
    return args.length > 0 && args[0].equals("serve");
  }

  @Override
  public void run() {
    CommandLine.usage(this, System.out);
  }

  static final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"offload " + Version.current()};
    }
  }
}
