package dev.offload.server;

import dev.offload.dispatch.DispatchConfig;
import dev.offload.dispatch.InvokerConfig;
import dev.offload.dispatch.WebhookConfig;
import dev.offload.engine.EngineConfig;
import dev.offload.sign.Signer;
import dev.offload.store.Dialect;
import dev.offload.store.PostgresDialect;
import dev.offload.store.RetentionDefaults;
import dev.offload.store.SqliteDialect;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** Settings of one {@code offload serve} process, validated once at start-up. */
public record ServerConfig(
    String bind,
    int port,
    Path dataDir,
    long maxPayloadBytes,
    Duration leaseTimeout,
    int maxInFlight,
    Duration pollInterval,
    boolean sqliteFullSync,
    List<String> signingSecrets,
    WebhookConfig webhooks,
    String databaseUrl,
    Duration shutdownGrace,
    SecurityConfig security,
    RetentionDefaults retention,
    String publicUrl) {
  public static final String DEFAULT_BIND = "127.0.0.1";
  public static final int DEFAULT_PORT = 8080;
  public static final Path DEFAULT_DATA_DIR = Path.of("offload-data");
  public static final long DEFAULT_MAX_PAYLOAD = 1024 * 1024;

  public ServerConfig {
    if (port < 0 || port > 65_535)
      throw new IllegalArgumentException("--port must be 0..65535, got " + port);
    if (security == null) throw new IllegalArgumentException("security settings are required");
    if (!isLoopback(bind) && security.mode() != SecurityConfig.Mode.PRODUCTION) {
      throw new IllegalArgumentException(
          "--bind "
              + bind
              + " is not a loopback address: serving other addresses needs"
              + " --mode production, with API tokens in OFFLOAD_API_TOKENS");
    }
    if (maxPayloadBytes < 1 || maxPayloadBytes > 64L * 1024 * 1024) {
      throw new IllegalArgumentException(
          "--max-payload must be 1 byte to 64 MiB, got " + maxPayloadBytes);
    }
    signingSecrets = List.copyOf(signingSecrets);
    Signer.fromSecrets(signingSecrets);
    if (databaseUrl != null && databaseUrl.isBlank()) databaseUrl = null;
    if (databaseUrl != null) new PostgresDialect(databaseUrl);
    if (shutdownGrace == null || shutdownGrace.isNegative()) {
      throw new IllegalArgumentException("--shutdown-grace must be >= 0, got " + shutdownGrace);
    }
    if (retention == null) throw new IllegalArgumentException("retention settings are required");
    if (publicUrl != null && publicUrl.isBlank()) publicUrl = null;
    if (publicUrl != null && !publicUrl.matches("(?i)https?://[^/?#]+(/[^?#]*)?")) {
      throw new IllegalArgumentException(
          "--public-url must be an http(s) URL such as https://offload.example.com, got "
              + publicUrl);
    }
  }

  public static ServerConfig defaults() {
    return new ServerConfig(
        DEFAULT_BIND,
        DEFAULT_PORT,
        DEFAULT_DATA_DIR,
        DEFAULT_MAX_PAYLOAD,
        DispatchConfig.DEFAULT_LEASE_TIMEOUT,
        DispatchConfig.DEFAULT_MAX_IN_FLIGHT,
        DispatchConfig.DEFAULT_POLL_INTERVAL,
        false,
        List.of(),
        WebhookConfig.DEFAULT,
        null,
        DispatchConfig.DEFAULT_SHUTDOWN_GRACE,
        SecurityConfig.dev(),
        RetentionDefaults.DEFAULT,
        null);
  }

  public ServerConfig withPort(int value) {
    return toBuilder().port(value).build();
  }

  public ServerConfig withDataDir(Path value) {
    return toBuilder().dataDir(value).build();
  }

  public ServerConfig withSigningSecrets(List<String> value) {
    return toBuilder().signingSecrets(value).build();
  }

  public ServerConfig withWebhooks(WebhookConfig value) {
    return toBuilder().webhooks(value).build();
  }

  public ServerConfig withLeaseTimeout(Duration value) {
    return toBuilder().leaseTimeout(value).build();
  }

  public ServerConfig withDatabaseUrl(String value) {
    return toBuilder().databaseUrl(value).build();
  }

  public ServerConfig withShutdownGrace(Duration value) {
    return toBuilder().shutdownGrace(value).build();
  }

  public ServerConfig withPublicUrl(String value) {
    return toBuilder().publicUrl(value).build();
  }

  public ServerConfig withSecurity(SecurityConfig value) {
    return toBuilder().security(value).build();
  }

  public ServerConfig withRetention(RetentionDefaults value) {
    return toBuilder().retention(value).build();
  }

  public Builder toBuilder() {
    Builder b = new Builder();
    b.bind = bind;
    b.port = port;
    b.dataDir = dataDir;
    b.maxPayloadBytes = maxPayloadBytes;
    b.leaseTimeout = leaseTimeout;
    b.maxInFlight = maxInFlight;
    b.pollInterval = pollInterval;
    b.sqliteFullSync = sqliteFullSync;
    b.signingSecrets = signingSecrets;
    b.webhooks = webhooks;
    b.databaseUrl = databaseUrl;
    b.shutdownGrace = shutdownGrace;
    b.security = security;
    b.retention = retention;
    b.publicUrl = publicUrl;
    return b;
  }

  /** Changes some settings of a configuration; {@link #build()} validates the result. */
  public static final class Builder {
    private String bind;
    private int port;
    private Path dataDir;
    private long maxPayloadBytes;
    private Duration leaseTimeout;
    private int maxInFlight;
    private Duration pollInterval;
    private boolean sqliteFullSync;
    private List<String> signingSecrets;
    private WebhookConfig webhooks;
    private String databaseUrl;
    private Duration shutdownGrace;
    private SecurityConfig security;
    private RetentionDefaults retention;
    private String publicUrl;

    public Builder bind(String value) {
      bind = value;
      return this;
    }

    public Builder port(int value) {
      port = value;
      return this;
    }

    public Builder dataDir(Path value) {
      dataDir = value;
      return this;
    }

    public Builder maxPayloadBytes(long value) {
      maxPayloadBytes = value;
      return this;
    }

    public Builder leaseTimeout(Duration value) {
      leaseTimeout = value;
      return this;
    }

    public Builder maxInFlight(int value) {
      maxInFlight = value;
      return this;
    }

    public Builder pollInterval(Duration value) {
      pollInterval = value;
      return this;
    }

    public Builder sqliteFullSync(boolean value) {
      sqliteFullSync = value;
      return this;
    }

    public Builder signingSecrets(List<String> value) {
      signingSecrets = value;
      return this;
    }

    public Builder webhooks(WebhookConfig value) {
      webhooks = value;
      return this;
    }

    public Builder databaseUrl(String value) {
      databaseUrl = value;
      return this;
    }

    public Builder shutdownGrace(Duration value) {
      shutdownGrace = value;
      return this;
    }

    public Builder security(SecurityConfig value) {
      security = value;
      return this;
    }

    public Builder retention(RetentionDefaults value) {
      retention = value;
      return this;
    }

    public Builder publicUrl(String value) {
      publicUrl = value;
      return this;
    }

    public ServerConfig build() {
      return new ServerConfig(
          bind,
          port,
          dataDir,
          maxPayloadBytes,
          leaseTimeout,
          maxInFlight,
          pollInterval,
          sqliteFullSync,
          signingSecrets,
          webhooks,
          databaseUrl,
          shutdownGrace,
          security,
          retention,
          publicUrl);
    }
  }

  /** The store this configuration names: PostgreSQL with a database URL, else the SQLite file. */
  public Dialect dialect() {
    return databaseUrl != null
        ? new PostgresDialect(databaseUrl)
        : new SqliteDialect(databaseFile(), sqliteFullSync);
  }

  public Path databaseFile() {
    return dataDir.resolve("offload.db");
  }

  EngineConfig engineConfig(String version) {
    return EngineConfig.builder()
        .leaseTimeout(leaseTimeout)
        .maxInFlight(maxInFlight)
        .pollInterval(pollInterval)
        .shutdownGrace(shutdownGrace)
        .maxResponseBytes((int) Math.max(InvokerConfig.DEFAULT_MAX_RESPONSE_BYTES, maxPayloadBytes))
        .targetGuard(security.targetGuard())
        .webhooks(webhooks)
        .signingSecrets(signingSecrets)
        .version(version)
        .maxStateBytes(maxPayloadBytes)
        .build();
  }

  private static boolean isLoopback(String host) {
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("--bind " + host + " is not a known address", e);
    }
  }
}
