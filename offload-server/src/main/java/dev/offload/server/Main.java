package dev.offload.server;

import dev.offload.server.cli.EnqueueCommand;
import dev.offload.server.cli.EnvironmentDefaults;
import dev.offload.server.cli.QueuesCommand;
import dev.offload.server.cli.SchedulesCommand;
import dev.offload.server.cli.ServeCommand;
import dev.offload.server.cli.StatusCommand;
import dev.offload.server.cli.TasksCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;

/** {@code offload}: the command line of README: Configuration. */
@Command(
    name = "offload",
    mixinStandardHelpOptions = true,
    versionProvider = Main.VersionProvider.class,
    description =
        "Durable background tasks: accept work in milliseconds, run it in the background.",
    subcommands = {
      ServeCommand.class,
      EnqueueCommand.class,
      StatusCommand.class,
      TasksCommand.class,
      SchedulesCommand.class,
      QueuesCommand.class,
      HelpCommand.class
    })
public final class Main implements Runnable {
  public static void main(String[] args) {
    Logging.configure(args);
    CommandLine cli =
        new CommandLine(new Main())
            .setDefaultValueProvider(new EnvironmentDefaults(System.getenv()));
    versionEverywhere(cli);
    cli.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> {
          commandLine.getErr().println("offload: " + e.getMessage());
          return 1;
        });
    int code = cli.execute(args);
    // a server that started stops logging in its shutdown hook, after the engine closed
    if (code != 0 || !isServe(args)) {
      Logging.stop();
      System.exit(code);
    }
  }

  /**
   * {@code offload serve --version} prints the version too: picocli gives a subcommand's --version
   * no provider of its own.
   */
  private static void versionEverywhere(CommandLine command) {
    for (CommandLine sub : command.getSubcommands().values()) {
      sub.getCommandSpec().versionProvider(new VersionProvider());
      versionEverywhere(sub);
    }
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
