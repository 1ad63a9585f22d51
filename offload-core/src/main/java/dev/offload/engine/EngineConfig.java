package dev.offload.engine;

import dev.offload.dispatch.DispatchConfig;
import dev.offload.dispatch.InvokerConfig;
import dev.offload.dispatch.WebhookConfig;
import dev.offload.net.TargetGuard;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * Everything the engine needs besides its store and clock; {@link #builder()} gives every setting
 * its default. {@code maxStateBytes}: the largest state a target may carry between the calls of a
 * long task.
 */
public record EngineConfig(
    DispatchConfig dispatch,
    InvokerConfig invoker,
    WebhookConfig webhooks,
    Duration idempotencyTtl,
    List<String> signingSecrets,
    String version,
    long maxStateBytes) {
  public static final Duration DEFAULT_IDEMPOTENCY_TTL = Duration.ofHours(24);
  public static final long DEFAULT_MAX_STATE_BYTES = 1024 * 1024;
  public static final int DEFAULT_HTTP_THREADS = 16;
  public static final String DEFAULT_VERSION = "dev";

  public EngineConfig {
    if (dispatch == null || invoker == null || webhooks == null) {
      throw new IllegalArgumentException("dispatch, invoker and webhook settings are required");
    }
    if (idempotencyTtl == null || idempotencyTtl.isNegative() || idempotencyTtl.isZero()) {
      throw new IllegalArgumentException("idempotencyTtl must be > 0, got " + idempotencyTtl);
    }
    if (signingSecrets == null)
      throw new IllegalArgumentException("signingSecrets is required (empty for none)");
    signingSecrets = List.copyOf(signingSecrets);
    if (version == null || version.isBlank())
      throw new IllegalArgumentException("version is required");
    if (maxStateBytes < 1)
      throw new IllegalArgumentException("maxStateBytes must be >= 1, got " + maxStateBytes);
  }

  /** Every setting at its default; change them one at a time, then {@link Builder#build()}. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The settings one by one, each with its default, checked together by {@link #build()}, which
   * says what is wrong. The outbound connections per target and the calls queued per target follow
   * {@code maxInFlight} unless set: one connection per call in flight, so a target that holds every
   * call does not queue the rest.
   */
  public static final class Builder {
    private String nodeId;
    private Duration leaseTimeout = DispatchConfig.DEFAULT_LEASE_TIMEOUT;
    private int maxInFlight = DispatchConfig.DEFAULT_MAX_IN_FLIGHT;
    private int claimBatch = DispatchConfig.DEFAULT_CLAIM_BATCH;
    private Duration pollInterval = DispatchConfig.DEFAULT_POLL_INTERVAL;
    private Duration shutdownGrace = DispatchConfig.DEFAULT_SHUTDOWN_GRACE;
    private Duration commitPace = DispatchConfig.DEFAULT_COMMIT_PACE;
    private Duration connectTimeout = InvokerConfig.DEFAULT_CONNECT_TIMEOUT;
    private Integer maxConnectionsPerTarget;
    private Integer maxQueuedPerTarget;
    private int maxResponseBytes = InvokerConfig.DEFAULT_MAX_RESPONSE_BYTES;
    private int httpThreads = DEFAULT_HTTP_THREADS;
    private String userAgent;
    private TargetGuard targetGuard = TargetGuard.off();
    private WebhookConfig webhooks = WebhookConfig.DEFAULT;
    private Duration idempotencyTtl = DEFAULT_IDEMPOTENCY_TTL;
    private List<String> signingSecrets = List.of();
    private String version = DEFAULT_VERSION;
    private long maxStateBytes = DEFAULT_MAX_STATE_BYTES;

    private Builder() {}

    /**
     * This node's name in leases, attempts and {@code GET /v1/nodes}; default {@code node-} and 8
     * random hex digits.
     */
    public Builder nodeId(String value) {
      nodeId = value;
      return this;
    }

    /**
     * How long a claimed task stays leased without renewal before another node may retry it;
     * default 60 s.
     */
    public Builder leaseTimeout(Duration value) {
      leaseTimeout = value;
      return this;
    }

    /** Calls in flight at once on this node; default 10,000. */
    public Builder maxInFlight(int value) {
      maxInFlight = value;
      return this;
    }

    /** Tasks claimed per round trip; default 256. */
    public Builder claimBatch(int value) {
      claimBatch = value;
      return this;
    }

    /** The longest a loop sleeps when nothing wakes it (a safety net); default 1 s. */
    public Builder pollInterval(Duration value) {
      pollInterval = value;
      return this;
    }

    /**
     * How long a stop lets calls in flight finish before putting their tasks back in the queue;
     * default 30 s.
     */
    public Builder shutdownGrace(Duration value) {
      shutdownGrace = value;
      return this;
    }

    /**
     * The least time between the transactions of each writing loop (intake, claims, finishes) while
     * work arrives back to back, so that concurrent work shares commits; a loop idle that long
     * begins at once. Default 3 ms; zero commits each piece of work on its own.
     */
    public Builder commitPace(Duration value) {
      commitPace = value;
      return this;
    }

    /** Default 10 s. */
    public Builder connectTimeout(Duration value) {
      connectTimeout = value;
      return this;
    }

    /** Default {@code maxInFlight}. */
    public Builder maxConnectionsPerTarget(int value) {
      maxConnectionsPerTarget = value;
      return this;
    }

    /** Default {@code maxInFlight} + 1,000. */
    public Builder maxQueuedPerTarget(int value) {
      maxQueuedPerTarget = value;
      return this;
    }

    /** The most of a response kept as a task's result; default 1 MiB. */
    public Builder maxResponseBytes(int value) {
      maxResponseBytes = value;
      return this;
    }

    /** Threads of the outbound HTTP client; default 16. */
    public Builder httpThreads(int value) {
      httpThreads = value;
      return this;
    }

    /** Default {@code Offload/} and the version. */
    public Builder userAgent(String value) {
      userAgent = value;
      return this;
    }

    /** Which target addresses may be called; default {@link TargetGuard#off()}, any. */
    public Builder targetGuard(TargetGuard value) {
      targetGuard = value;
      return this;
    }

    /** Completion webhook delivery; default {@link WebhookConfig#DEFAULT}. */
    public Builder webhooks(WebhookConfig value) {
      webhooks = value;
      return this;
    }

    /** How long an idempotency key is remembered; default 24 h. */
    public Builder idempotencyTtl(Duration value) {
      idempotencyTtl = value;
      return this;
    }

    /**
     * Standard Webhooks secrets ({@code whsec_…}) that sign calls and webhooks; default none,
     * unsigned.
     */
    public Builder signingSecrets(List<String> value) {
      signingSecrets = value;
      return this;
    }

    /** The version this node reports; default {@code dev}. */
    public Builder version(String value) {
      version = value;
      return this;
    }

    /** The largest state a target may carry between the calls of a long task; default 1 MiB. */
    public Builder maxStateBytes(long value) {
      maxStateBytes = value;
      return this;
    }

    /**
     * Checks every setting; throws {@link IllegalArgumentException} naming the first that is wrong.
     */
    public EngineConfig build() {
      String node =
          nodeId != null ? nodeId : "node-" + UUID.randomUUID().toString().substring(0, 8);
      String agent = userAgent != null ? userAgent : "Offload/" + version;
      int connections = maxConnectionsPerTarget != null ? maxConnectionsPerTarget : maxInFlight;
      int queued = maxQueuedPerTarget != null ? maxQueuedPerTarget : maxInFlight + 1_000;
      return new EngineConfig(
          new DispatchConfig(
              node, leaseTimeout, maxInFlight, claimBatch, pollInterval, shutdownGrace, commitPace),
          new InvokerConfig(
              connectTimeout,
              connections,
              queued,
              maxResponseBytes,
              httpThreads,
              agent,
              targetGuard),
          webhooks,
          idempotencyTtl,
          signingSecrets,
          version,
          maxStateBytes);
    }
  }
}
