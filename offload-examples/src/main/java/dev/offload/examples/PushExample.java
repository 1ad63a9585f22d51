package dev.offload.examples;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.offload.client.Accepted;
import dev.offload.client.OffloadClient;
import dev.offload.client.TaskRequest;
import dev.offload.client.WebhookVerificationException;
import dev.offload.client.WebhookVerifier;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;

/**
 * A web app that offloads slow work to Offload (push): {@code POST /reports} answers at once with a
 * task id, and Offload calls {@code POST /jobs/render-report} of the same app in the background,
 * signed, retried until it succeeds.
 *
 * <p>Run: {@code OFFLOAD_SIGNING_SECRETS=whsec_… offload-examples/run PushExample [PORT]} (port
 * 9000 by default), with the server started with the same {@code OFFLOAD_SIGNING_SECRETS}: the
 * target accepts only calls signed with one of them. {@code OFFLOAD_URL} names the server (default
 * {@code http://127.0.0.1:8080}).
 */
public final class PushExample implements AutoCloseable {
  private final HttpServer http;
  private final OffloadClient offload;
  private final WebhookVerifier verifier;
  private final String publicUrl;

  public PushExample(String offloadUrl, List<String> signingSecrets, int port) throws IOException {
    this.offload =
        OffloadClient.builder().baseUrl(offloadUrl).token(System.getenv("OFFLOAD_TOKEN")).build();
    this.verifier = WebhookVerifier.of(signingSecrets);
    this.http = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
    this.publicUrl = "http://127.0.0.1:" + http.getAddress().getPort();
    http.createContext("/reports", this::requestReport);
    http.createContext("/jobs/render-report", this::renderReport);
    http.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    http.start();
  }

  // readme:push-start
  /** The web handler: hands the slow part to Offload and answers in milliseconds. */
  private void requestReport(HttpExchange exchange) throws IOException {
    String customer = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    Accepted task =
        offload
            .tasks()
            .create(
                TaskRequest.builder()
                    .callbackUrl(publicUrl + "/jobs/render-report")
                    .payload(Map.of("customer", customer))
                    .retries(5)
                    .timeout(Duration.ofMinutes(15))
                    .idempotencyKey("report-" + customer)
                    .build());
    reply(exchange, 202, "{\"taskId\":\"" + task.taskId() + "\"}");
  }

  /** The push target: Offload calls it with the payload; it checks the signature first. */
  private void renderReport(HttpExchange exchange) throws IOException {
    byte[] body = exchange.getRequestBody().readAllBytes();
    try {
      verifier.verify(exchange.getRequestHeaders()::getFirst, body);
    } catch (WebhookVerificationException e) {
      reply(exchange, 401, "{\"error\":\"bad signature\"}");
      return;
    }
    String attempt = exchange.getRequestHeaders().getFirst("Offload-Attempt");
    // ... the slow work: render the PDF, upload it (no time limit) ...
    reply(exchange, 200, "{\"pdf\":\"done\",\"attempt\":" + attempt + "}");
  }

  // readme:push-end

  public String url(String path) {
    return publicUrl + path;
  }

  private static void reply(HttpExchange exchange, int status, String json) throws IOException {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (var out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    http.stop(0);
    offload.close();
  }

  public static void main(String[] args) throws IOException {
    int port = args.length > 0 ? Integer.parseInt(args[0]) : 9000;
    String secrets = System.getenv("OFFLOAD_SIGNING_SECRETS");
    if (secrets == null || secrets.isBlank()) {
      System.err.println(
          "PushExample: set OFFLOAD_SIGNING_SECRETS to the secret the server signs with, and start the server with the same"
              + " value; make one with: echo whsec_$(head -c 32 /dev/urandom | base64)");
      System.exit(2);
    }
    String offloadUrl = System.getenv().getOrDefault("OFFLOAD_URL", "http://127.0.0.1:8080");
    new PushExample(
        offloadUrl,
        Arrays.stream(secrets.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList(),
        port);
    System.out.println(
        "POST http://127.0.0.1:"
            + port
            + "/reports with a customer name to offload a report to "
            + offloadUrl);
  }
}
