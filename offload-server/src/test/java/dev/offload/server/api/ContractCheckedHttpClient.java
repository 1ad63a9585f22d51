package dev.offload.server.api;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.Authenticator;
import java.net.CookieHandler;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntSupplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP client of the server tests: every exchange with the server under test (loopback, its
 * port) is checked against the OpenAPI document by {@link ApiContract}, and a mismatch fails the
 * call with an {@link AssertionError}. Mismatches are also kept, so that one met on a background
 * thread (a worker's poll) fails the test class when its server closes ({@link #assertNoMismatch}).
 * Event streams are checked up to their headers; other answers with their whole body.
 */
public final class ContractCheckedHttpClient extends HttpClient {
  private static final Logger log = LoggerFactory.getLogger(ContractCheckedHttpClient.class);

  private final HttpClient http;
  private final IntSupplier port;
  private final ApiContract contract = ApiContract.get();
  private final List<String> mismatches = new CopyOnWriteArrayList<>();

  /**
   * Checks exchanges with {@code 127.0.0.1:<port>}; {@code port} is read per request (a server may
   * start later).
   */
  public ContractCheckedHttpClient(IntSupplier port) {
    this.http =
        HttpClient.newBuilder()
            .version(Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    this.port = port;
  }

  /** Fails with every mismatch seen so far, on any thread. */
  public void assertNoMismatch() {
    if (!mismatches.isEmpty()) {
      throw new AssertionError(
          mismatches.size()
              + " exchanges broke the OpenAPI document:\n"
              + String.join("\n", mismatches));
    }
  }

  private boolean checks(URI uri) {
    return uri.getPort() == port.getAsInt()
        && ("127.0.0.1".equals(uri.getHost()) || "localhost".equals(uri.getHost()));
  }

  @Override
  public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler)
      throws IOException, InterruptedException {
    if (!checks(request.uri())) return http.send(request, handler);
    byte[] sent = bodyOf(request);
    Capture capture = new Capture();
    HttpResponse<T> response = http.send(request, capture.around(handler));
    check(request, sent, response, capture);
    return response;
  }

  @Override
  public <T> CompletableFuture<HttpResponse<T>> sendAsync(
      HttpRequest request, HttpResponse.BodyHandler<T> handler) {
    return sendAsync(request, handler, null);
  }

  @Override
  public <T> CompletableFuture<HttpResponse<T>> sendAsync(
      HttpRequest request,
      HttpResponse.BodyHandler<T> handler,
      HttpResponse.PushPromiseHandler<T> pushPromiseHandler) {
    if (!checks(request.uri())) return http.sendAsync(request, handler, pushPromiseHandler);
    byte[] sent = bodyOf(request);
    Capture capture = new Capture();
    return http.sendAsync(request, capture.around(handler), pushPromiseHandler)
        .thenApply(
            response -> {
              check(request, sent, response, capture);
              return response;
            });
  }

  private void check(HttpRequest request, byte[] sent, HttpResponse<?> response, Capture capture) {
    URI uri = request.uri();
    Exchange exchange =
        new Exchange(
            request.method(),
            uri.getRawPath(),
            uri.getRawQuery(),
            request.headers().map(),
            sent,
            response.statusCode(),
            response.headers().map(),
            capture.body());
    List<String> problems = contract.check(exchange);
    if (problems.isEmpty()) return;
    String mismatch = exchange + " breaks the OpenAPI document: " + String.join("; ", problems);
    mismatches.add(mismatch);
    log.error(mismatch);
    throw new AssertionError(mismatch);
  }

  /**
   * The bytes a request's body publisher sends (the JDK's publishers can be read more than once).
   */
  private static byte[] bodyOf(HttpRequest request) {
    Optional<HttpRequest.BodyPublisher> publisher = request.bodyPublisher();
    if (publisher.isEmpty() || publisher.get().contentLength() == 0) return new byte[0];
    CompletableFuture<byte[]> read = new CompletableFuture<>();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    publisher
        .get()
        .subscribe(
            new Flow.Subscriber<>() {
              @Override
              public void onSubscribe(Flow.Subscription subscription) {
                subscription.request(Long.MAX_VALUE);
              }

              @Override
              public void onNext(ByteBuffer item) {
                byte[] chunk = new byte[item.remaining()];
                item.get(chunk);
                bytes.writeBytes(chunk);
              }

              @Override
              public void onError(Throwable error) {
                read.completeExceptionally(error);
              }

              @Override
              public void onComplete() {
                read.complete(bytes.toByteArray());
              }
            });
    try {
      return read.get(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot read the request body to check it: " + e, e);
    }
  }

  /** Copies the answer's bytes on their way to the caller's body handler. */
  private static final class Capture {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private volatile boolean complete;

    <T> HttpResponse.BodyHandler<T> around(HttpResponse.BodyHandler<T> handler) {
      return info -> {
        HttpResponse.BodySubscriber<T> inner = handler.apply(info);
        boolean stream =
            info.headers()
                .firstValue("Content-Type")
                .map(type -> type.startsWith("text/event-stream"))
                .orElse(false);
        return stream ? inner : new Tee<>(inner, this);
      };
    }

    /** The whole body, or null when it was not read to its end (an event stream). */
    byte[] body() {
      synchronized (bytes) {
        return complete ? bytes.toByteArray() : null;
      }
    }
  }

  private record Tee<T>(HttpResponse.BodySubscriber<T> inner, Capture capture)
      implements HttpResponse.BodySubscriber<T> {
    @Override
    public CompletionStage<T> getBody() {
      return inner.getBody();
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
      inner.onSubscribe(subscription);
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
      synchronized (capture.bytes) {
        for (ByteBuffer item : items) {
          ByteBuffer copy = item.duplicate();
          byte[] chunk = new byte[copy.remaining()];
          copy.get(chunk);
          capture.bytes.writeBytes(chunk);
        }
      }
      inner.onNext(items);
    }

    @Override
    public void onError(Throwable error) {
      inner.onError(error);
    }

    @Override
    public void onComplete() {
      synchronized (capture.bytes) {
        capture.complete = true;
      }
      inner.onComplete();
    }
  }

  @Override
  public void shutdown() {
    http.shutdown();
  }

  @Override
  public void shutdownNow() {
    http.shutdownNow();
  }

  @Override
  public boolean awaitTermination(Duration duration) throws InterruptedException {
    return http.awaitTermination(duration);
  }

  @Override
  public boolean isTerminated() {
    return http.isTerminated();
  }

  @Override
  public void close() {
    http.close();
  }

  @Override
  public Optional<CookieHandler> cookieHandler() {
    return http.cookieHandler();
  }

  @Override
  public Optional<Duration> connectTimeout() {
    return http.connectTimeout();
  }

  @Override
  public Redirect followRedirects() {
    return http.followRedirects();
  }

  @Override
  public Optional<ProxySelector> proxy() {
    return http.proxy();
  }

  @Override
  public SSLContext sslContext() {
    return http.sslContext();
  }

  @Override
  public SSLParameters sslParameters() {
    return http.sslParameters();
  }

  @Override
  public Optional<Authenticator> authenticator() {
    return http.authenticator();
  }

  @Override
  public Version version() {
    return http.version();
  }

  @Override
  public Optional<Executor> executor() {
    return http.executor();
  }
}
