package dev.offload.bench;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.client.BufferingResponseListener;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.StringRequestContent;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The producer's HTTP client: Jetty's asynchronous client with a keep-alive connection pool, so the
 * bench's own client is never the bottleneck (the JDK client was). The baseline uses this very
 * client, so a ratio compares Offload with what this client does against a bare endpoint.
 */
final class LoadClient implements AutoCloseable {
  /** Answers are small; a bigger one is an error page worth only its first bytes. */
  private static final int MAX_ANSWER_BYTES = 256 * 1024;

  /** A finished exchange: status 0 means no HTTP answer (connection refused, timeout). */
  record Reply(int status, String body) {
    boolean ok() {
      return status >= 200 && status < 300;
    }

    String describe() {
      String text = body.length() > 300 ? body.substring(0, 300) + "…" : body;
      return (status == 0 ? "no answer" : "HTTP " + status) + ": " + text;
    }
  }

  private final HttpClient client = new HttpClient();
  private final Duration requestTimeout;

  /**
   * @param maxConnections connections per destination; producers bound their own concurrency below
   *     it, and the open loop queues inside the client when a stalled server holds them all
   */
  LoadClient(int maxConnections, Duration requestTimeout) {
    this.requestTimeout = requestTimeout;
    QueuedThreadPool threads = new QueuedThreadPool(64);
    threads.setName("bench-client");
    threads.setDaemon(true);
    client.setExecutor(threads);
    client.setMaxConnectionsPerDestination(maxConnections);
    // The open loop never waits, so a stall queues every send due meanwhile: it must not overflow.
    client.setMaxRequestsQueuedPerDestination(1_000_000);
    client.setConnectTimeout(10_000);
    // Below the server's 30 s idle timeout: the client closes a quiet connection first, so no
    // request is ever written into a connection the server is closing at that very moment.
    client.setIdleTimeout(15_000);
    client.setFollowRedirects(false);
    try {
      client.start();
    } catch (Exception e) {
      throw new IllegalStateException("cannot start the Jetty HTTP client", e);
    }
  }

  CompletableFuture<Reply> post(URI uri, String json) {
    Request request =
        client
            .newRequest(uri)
            .method(HttpMethod.POST)
            .body(new StringRequestContent("application/json", json));
    return send(request);
  }

  /** A PUT outside any measured loop, answered or failed within the request timeout. */
  Reply putNow(URI uri, String json) throws InterruptedException {
    Request request =
        client
            .newRequest(uri)
            .method(HttpMethod.PUT)
            .body(new StringRequestContent("application/json", json));
    return await(send(request));
  }

  CompletableFuture<Reply> get(URI uri) {
    return send(client.newRequest(uri).method(HttpMethod.GET));
  }

  /** A GET for probes that run outside any measured loop. */
  Reply getNow(URI uri) throws InterruptedException {
    return await(get(uri));
  }

  private Reply await(CompletableFuture<Reply> reply) throws InterruptedException {
    try {
      return reply.get(requestTimeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      return new Reply(0, String.valueOf(e.getMessage()));
    }
  }

  private CompletableFuture<Reply> send(Request request) {
    CompletableFuture<Reply> reply = new CompletableFuture<>();
    request.timeout(requestTimeout.toMillis(), TimeUnit.MILLISECONDS);
    // A slow answer is a figure (a stall, a slow read), not a failure: while a request is out, its
    // connection waits as long as the request may take; the client's 15 s applies between requests.
    request.idleTimeout(requestTimeout.toMillis(), TimeUnit.MILLISECONDS);
    request.send(
        new BufferingResponseListener(MAX_ANSWER_BYTES) {
          @Override
          public void onComplete(org.eclipse.jetty.client.Result result) {
            if (result.isFailed()) {
              int status = result.getResponse() == null ? 0 : result.getResponse().getStatus();
              reply.complete(
                  new Reply(0, "failed (status " + status + "): " + result.getFailure()));
            } else {
              reply.complete(new Reply(result.getResponse().getStatus(), getContentAsString()));
            }
          }
        });
    return reply;
  }

  @Override
  public void close() {
    try {
      client.stop();
    } catch (Exception e) {
      if (e instanceof InterruptedException) Thread.currentThread().interrupt();
      throw new IllegalStateException("cannot stop the Jetty HTTP client", e);
    }
  }
}
