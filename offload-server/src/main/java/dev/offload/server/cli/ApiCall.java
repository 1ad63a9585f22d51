package dev.offload.server.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A CLI command's one HTTP call to a running server; prints the answer, exit code 1 on an error status. */
final class ApiCall {
  private ApiCall() {}

  static int send(HttpRequest.Builder request, PrintWriter out, PrintWriter err) throws InterruptedException {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    HttpRequest built = request.build();
    try {
      HttpResponse<String> response = client.send(built, HttpResponse.BodyHandlers.ofString());
      (response.statusCode() >= 400 ? err : out).println(response.body());
      return response.statusCode() >= 400 ? 1 : 0;
    } catch (IOException e) {
      err.println("cannot reach Offload at " + built.uri().resolve("/") + ": " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage())
          + " (is 'offload serve' running? set --server or OFFLOAD_SERVER)");
      return 2;
    } finally {
      client.close();
    }
  }
}
