package dev.offload.client;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * A client of one Offload server: thread-safe, meant to be built once and shared, closed when the
 * application stops.
 *
 * <pre>{@code
 * try (OffloadClient offload = OffloadClient.builder()
 *     .baseUrl("http://127.0.0.1:8080")
 *     .token(System.getenv("OFFLOAD_TOKEN"))
 *     .build()) {
 *   Accepted accepted = offload.tasks().create(TaskRequest.builder()
 *       .callbackUrl("https://app.example.com/jobs/report")
 *       .payload(new ReportJob(customerId))
 *       .build());
 *   TaskView done = offload.tasks().await(accepted.taskId(), Duration.ofMinutes(5));
 * }
 * }</pre>
 *
 * <p>Every call throws the unchecked {@link OffloadException} when the server refuses it (with the
 * problem's status, title, detail and field errors) and {@link OffloadConnectionException} when no
 * answer arrives.
 */
public final class OffloadClient implements AutoCloseable {
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);

  private final URI baseUrl;
  private final Transport transport;
  private final Tasks tasks;
  private final Workers workers;
  private final Schedules schedules;
  private final Queues queues;
  private final BulkActions bulkActions;

  private OffloadClient(URI baseUrl, Transport transport) {
    this.baseUrl = baseUrl;
    this.transport = transport;
    this.tasks = new Tasks(transport);
    this.workers = new Workers(transport);
    this.schedules = new Schedules(transport);
    this.queues = new Queues(transport);
    this.bulkActions = new BulkActions(transport);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Create, read, list, wait for, cancel and retry tasks. */
  public Tasks tasks() {
    return tasks;
  }

  /**
   * Lease, heartbeat, complete and fail pull tasks; {@link dev.offload.client.worker.OffloadWorker}
   * builds on it.
   */
  public Workers workers() {
    return workers;
  }

  /** Declare, read, pause, resume, trigger and delete cron schedules. */
  public Schedules schedules() {
    return schedules;
  }

  /** Queue figures and flow control: concurrency, rate and pause per queue. */
  public Queues queues() {
    return queues;
  }

  /** Retry, cancel or delete every task a filter matches, in the background, and follow it. */
  public BulkActions bulkActions() {
    return bulkActions;
  }

  public URI baseUrl() {
    return baseUrl;
  }

  /**
   * Releases the connections. Calls still in flight (such as a long-poll) end at once with an
   * {@link OffloadConnectionException}; later calls throw {@link IllegalStateException}. An HTTP
   * client given to {@link Builder#httpClient} is left open: its owner closes it.
   */
  @Override
  public void close() {
    transport.close();
  }

  @Override
  public String toString() {
    return "OffloadClient[" + baseUrl + "]";
  }

  /** Settings of a client; only {@link #baseUrl} is required. */
  public static final class Builder {
    private URI baseUrl;
    private String token;
    private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
    private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
    private HttpClient httpClient;

    private Builder() {}

    /**
     * Where the server listens, such as {@code "http://127.0.0.1:8080"}; may end in a path prefix.
     */
    public Builder baseUrl(String baseUrl) {
      Objects.requireNonNull(baseUrl, "baseUrl");
      try {
        return baseUrl(URI.create(baseUrl.strip()));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("baseUrl is not a URL: \"" + baseUrl + "\"", e);
      }
    }

    public Builder baseUrl(URI baseUrl) {
      Objects.requireNonNull(baseUrl, "baseUrl");
      String scheme =
          baseUrl.getScheme() == null ? "" : baseUrl.getScheme().toLowerCase(Locale.ROOT);
      if (!scheme.equals("http") && !scheme.equals("https") || baseUrl.getHost() == null) {
        throw new IllegalArgumentException(
            "baseUrl must be an absolute http(s) URL such as http://127.0.0.1:8080, got \""
                + baseUrl
                + "\"");
      }
      if (baseUrl.getRawQuery() != null || baseUrl.getRawFragment() != null) {
        throw new IllegalArgumentException(
            "baseUrl must not have a query or fragment, got \"" + baseUrl + "\"");
      }
      this.baseUrl = baseUrl;
      return this;
    }

    /**
     * An API token, sent as {@code Authorization: Bearer …}; null or blank sends none (dev mode).
     */
    public Builder token(String token) {
      if (token != null && token.chars().anyMatch(c -> c < 0x21 || c == 0x7f)) {
        throw new IllegalArgumentException("token must not contain spaces or control characters");
      }
      this.token = token == null || token.isEmpty() ? null : token;
      return this;
    }

    /**
     * How long to wait for an answer (default 30 s). Long-polls ({@code await}, a create with a
     * wait) get this on top of the time the server may hold them.
     */
    public Builder requestTimeout(Duration requestTimeout) {
      this.requestTimeout = positive(requestTimeout, "requestTimeout");
      return this;
    }

    /** How long to wait for a connection (default 10 s); unused with {@link #httpClient}. */
    public Builder connectTimeout(Duration connectTimeout) {
      this.connectTimeout = positive(connectTimeout, "connectTimeout");
      return this;
    }

    /** An HTTP client of your own (proxy, TLS, executor); the client does not close it. */
    public Builder httpClient(HttpClient httpClient) {
      this.httpClient = Objects.requireNonNull(httpClient, "httpClient");
      return this;
    }

    public OffloadClient build() {
      if (baseUrl == null)
        throw new IllegalStateException("baseUrl is required, such as http://127.0.0.1:8080");
      boolean own = httpClient == null;
      HttpClient http =
          own
              ? HttpClient.newBuilder()
                  .version(HttpClient.Version.HTTP_1_1)
                  .connectTimeout(connectTimeout)
                  .build()
              : httpClient;
      return new OffloadClient(baseUrl, new Transport(baseUrl, token, requestTimeout, http, own));
    }

    private static Duration positive(Duration duration, String name) {
      Objects.requireNonNull(duration, name);
      if (duration.isNegative() || duration.isZero())
        throw new IllegalArgumentException(name + " must be positive, got " + duration);
      return duration;
    }
  }
}
