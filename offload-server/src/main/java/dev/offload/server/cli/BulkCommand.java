package dev.offload.server.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code offload tasks bulk retry|cancel|delete|status}: one action on every task a filter matches.
 */
@Command(
    name = "bulk",
    mixinStandardHelpOptions = true,
    description = {
      "Retry, cancel or delete every task a filter matches, in the background on the server.",
      "Prints how many tasks match, starts the action and shows its progress until it finishes."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:the action finished on every task it matched (or --dry-run, --no-wait, or still running)",
      "1:the server refused the request (the problem is printed on stderr)",
      "2:a bad option, or the server cannot be reached",
      "3:the action finished, but some matched tasks were not in a status it applies to",
      "4:the action was cancelled before it finished"
    })
public final class BulkCommand {
  @Spec CommandSpec spec;

  @Command(
      name = "retry",
      mixinStandardHelpOptions = true,
      description = "Queue every failed or cancelled task the filter matches again.")
  int retry(@Mixin BulkOptions options) throws InterruptedException {
    return start("retry", options);
  }

  @Command(
      name = "cancel",
      mixinStandardHelpOptions = true,
      description = "Cancel every unfinished task the filter matches.")
  int cancel(@Mixin BulkOptions options) throws InterruptedException {
    return start("cancel", options);
  }

  @Command(
      name = "delete",
      mixinStandardHelpOptions = true,
      description = "Delete every finished task the filter matches, with its attempts and result.")
  int delete(@Mixin BulkOptions options) throws InterruptedException {
    return start("delete", options);
  }

  @Command(
      name = "status",
      mixinStandardHelpOptions = true,
      description = "A bulk action as JSON: its filter, status and counts.")
  int status(@Mixin ServerOption server, @Parameters(paramLabel = "ACTION_ID") String actionId)
      throws InterruptedException {
    return run(server).status(actionId);
  }

  private int start(String action, BulkOptions options) throws InterruptedException {
    return run(options.server).start(action, options.filter(), options.dryRun, options.noWait);
  }

  private BulkRun run(ServerOption server) {
    return new BulkRun(server, spec.commandLine().getOut(), spec.commandLine().getErr());
  }
}
