package dev.offload.server.cli;

import java.net.URI;
import java.net.http.HttpRequest;
import picocli.CommandLine.Option;

/**
 * The {@code --server} and {@code --token} options of the commands that talk to a running Offload.
 */
public final class ServerOption {
  @Option(
      names = "--server",
      defaultValue = "http://127.0.0.1:8080",
      description = "Offload's base URL (env OFFLOAD_SERVER; default ${DEFAULT-VALUE}).")
  String server;

  @Option(
      names = "--token",
      description = "API token for a server in production mode (env OFFLOAD_TOKEN).")
  String token;

  /** A request to {@code path} on the server, with the API token when one is given. */
  HttpRequest.Builder request(String path) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(server.replaceAll("/+$", "") + path));
    if (token != null && !token.isBlank())
      request.header("Authorization", "Bearer " + token.strip());
    return request;
  }
}
