package dev.offload.dispatch;

import dev.offload.net.GuardedResolver;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.EarlyHintsProtocolHandler;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.ProtocolHandlers;
import org.eclipse.jetty.client.ProxyAuthenticationProtocolHandler;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.WWWAuthenticationProtocolHandler;
import org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.util.SocketAddressResolver;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * Makes outbound calls with Jetty's asynchronous client: no thread waits on a slow target, and the
 * total timeout covers the whole exchange (a target that trickles its body is cut off too).
 * Redirects are not followed.
 */
public final class HttpInvoker implements AutoCloseable {
  private final HttpClient client;
  private final Clock clock;
  private final int maxBodyBytes;

  /** A call in flight; {@link #abort()} ends it with {@link Outcome.Aborted}. */
  public record Call(CompletableFuture<Outcome> outcome, Request request) {
    public void abort() {
      request.abort(new CancellationException("cancelled"));
    }
  }

  public HttpInvoker(InvokerConfig config, Clock clock) {
    this.clock = clock;
    this.maxBodyBytes = config.maxResponseBytes();
    QueuedThreadPool threads = new QueuedThreadPool(config.threads());
    threads.setName("offload-http");
    threads.setDaemon(true);
    client = new HttpClient(idleFirstTransport(config.maxConnectionsPerTarget()));
    client.setExecutor(threads);
    if (config.targetGuard().enforcing()) {
      Scheduler scheduler = new ScheduledExecutorScheduler("offload-http-scheduler", true);
      client.setScheduler(scheduler);
      client.setSocketAddressResolver(
          new GuardedResolver(
              new SocketAddressResolver.Async(
                  threads, scheduler, config.connectTimeout().toMillis()),
              config.targetGuard()));
    }
    client.setFollowRedirects(false);
    client.setConnectTimeout(config.connectTimeout().toMillis());
    client.setIdleTimeout(0);
    client.setMaxConnectionsPerDestination(config.maxConnectionsPerTarget());
    client.setMaxRequestsQueuedPerDestination(config.maxQueuedPerTarget());
    client.setUserAgentField(new HttpField(HttpHeader.USER_AGENT, config.userAgent()));
  }

  /** Starts the client's threads; once. */
  public void start() {
    if (client.isStarted()) return;
    try {
      client.start();
    } catch (Exception e) {
      throw new IllegalStateException("cannot start the HTTP client", e);
    }
    readEveryStatusAsAnAnswer(client.getProtocolHandlers());
  }

  /**
   * Jetty's default handlers turn some answers into failures: a 401 without {@code
   * WWW-Authenticate} (or 407 without {@code Proxy-Authenticate}) became a "protocol violation",
   * losing its status and body, and an unknown 1xx hung. Offload holds no credentials to answer a
   * challenge with, so 401 and 407 are answers like any other 4xx; interim answers are skipped.
   * Installed after start, which puts the defaults in.
   */
  private static void readEveryStatusAsAnAnswer(ProtocolHandlers handlers) {
    handlers.remove(WWWAuthenticationProtocolHandler.NAME);
    handlers.remove(ProxyAuthenticationProtocolHandler.NAME);
    handlers.remove(EarlyHintsProtocolHandler.NAME);
    handlers.put(new InterimResponses());
  }

  /**
   * Connections come from an {@link IdleFirstPool}: Jetty's pools scan their connections for an
   * idle one, which with thousands of calls held by one target made each send walk them all.
   * Connections are opened on demand only, not pre-opened up to the maximum.
   */
  private static HttpClientTransportOverHTTP idleFirstTransport(int maxConnections) {
    HttpClientTransportOverHTTP transport = new HttpClientTransportOverHTTP();
    transport.setConnectionPoolFactory(
        destination -> IdleFirstPool.connections(destination, maxConnections));
    return transport;
  }

  public Call send(OutgoingRequest outgoing) {
    Request request = client.newRequest(outgoing.uri()).method(outgoing.method());
    Duration timeout = outgoing.timeout();
    if (timeout != null) {
      request.timeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
      request.idleTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }
    request.headers(
        headers -> {
          for (Map.Entry<String, String> header : outgoing.headers().entrySet()) {
            headers.put(header.getKey(), header.getValue());
          }
        });
    if (outgoing.body() != null) {
      request.body(new BytesRequestContent(outgoing.contentType(), outgoing.body()));
    }
    CompletableFuture<Outcome> outcome = new CompletableFuture<>();
    request.send(new CappedBodyListener(maxBodyBytes, timeout, clock, outcome));
    return new Call(outcome, request);
  }

  /** Stops the client, ending the calls still open; idempotent. */
  @Override
  public void close() throws Exception {
    client.stop();
  }
}
