package dev.offload.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;

/**
 * A CLI command's HTTP calls to a running server; exit code 1 on an error status, 2 when the server
 * cannot be reached.
 */
final class ApiCall {
  static final int UNREACHABLE = 2;

  private ApiCall() {}

  /** What the server answered. */
  record Answer(int status, String body) {
    boolean failed() {
      return status >= 400;
    }
  }

  /**
   * Sends the request and prints the answer: the body to {@code out}, or the problem to {@code
   * err}.
   */
  static int send(HttpRequest.Builder request, PrintWriter out, PrintWriter err)
      throws InterruptedException {
    Optional<Answer> answer = fetch(request, err);
    return answer.isEmpty() ? UNREACHABLE : print(answer.get(), out, err);
  }

  /**
   * The server's answer, whatever its status; empty once {@code err} says why the server could not
   * be reached.
   */
  static Optional<Answer> fetch(HttpRequest.Builder request, PrintWriter err)
      throws InterruptedException {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    HttpRequest built = request.build();
    try {
      HttpResponse<String> response = client.send(built, HttpResponse.BodyHandlers.ofString());
      return Optional.of(new Answer(response.statusCode(), response.body()));
    } catch (IOException e) {
      err.println(
          "cannot reach Offload at "
              + built.uri().resolve("/")
              + ": "
              + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage())
              + " (is 'offload serve' running? set --server or OFFLOAD_SERVER)");
      return Optional.empty();
    } finally {
      client.close();
    }
  }

  /**
   * Sends the request and prints a successful answer as {@code table} renders it, or its JSON as it
   * is when {@code json}.
   */
  static int table(
      HttpRequest.Builder request,
      boolean json,
      Function<JsonNode, String> table,
      PrintWriter out,
      PrintWriter err)
      throws InterruptedException {
    if (json) return send(request, out, err);
    Optional<Answer> answer = fetch(request, err);
    if (answer.isEmpty()) return UNREACHABLE;
    if (answer.get().failed()) return print(answer.get(), out, err);
    out.print(table.apply(TaskBody.parse(answer.get())));
    out.flush(); // print, unlike println, does not flush picocli's writer, and System.exit follows
    return 0;
  }

  /**
   * Prints an error answer's problem to {@code err} (exit code 1), any other answer's body to
   * {@code out} (0).
   */
  static int print(Answer answer, PrintWriter out, PrintWriter err) {
    (answer.failed() ? err : out).println(answer.body());
    return answer.failed() ? 1 : 0;
  }
}
