package dev.offload.server.cli;

import java.net.URI;
import picocli.CommandLine.Option;

/** The {@code --server} option of the commands that talk to a running Offload. */
public final class ServerOption {
  @Option(names = "--server", defaultValue = "http://127.0.0.1:8080",
      description = "Offload's base URL (env OFFLOAD_SERVER; default ${DEFAULT-VALUE}).")
  String server;

  URI resolve(String path) {
    return URI.create(server.replaceAll("/+$", "") + path);
  }
}
