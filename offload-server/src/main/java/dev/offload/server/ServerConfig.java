package dev.offload.server;

import dev.offload.dispatch.DispatchConfig;
import dev.offload.dispatch.InvokerConfig;
import dev.offload.dispatch.WebhookConfig;
import dev.offload.engine.EngineConfig;
import dev.offload.sign.Signer;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

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
    WebhookConfig webhooks) {
  public static final String DEFAULT_BIND = "127.0.0.1";
  public static final int DEFAULT_PORT = 8080;
  public static final Path DEFAULT_DATA_DIR = Path.of("offload-data");
  public static final long DEFAULT_MAX_PAYLOAD = 1024 * 1024;

  public ServerConfig {
    if (port < 0 || port > 65_535) throw new IllegalArgumentException("--port must be 0..65535, got " + port);
    if (!isLoopback(bind)) {
      throw new IllegalArgumentException("--bind " + bind + " is not a loopback address; Offload serves only 127.0.0.1/::1"
          + " until production mode with API tokens is available");
    }
    if (maxPayloadBytes < 1 || maxPayloadBytes > 64L * 1024 * 1024) {
      throw new IllegalArgumentException("--max-payload must be 1 byte to 64 MiB, got " + maxPayloadBytes);
    }
    signingSecrets = List.copyOf(signingSecrets);
    Signer.fromSecrets(signingSecrets);
  }

  public static ServerConfig defaults() {
    return new ServerConfig(DEFAULT_BIND, DEFAULT_PORT, DEFAULT_DATA_DIR, DEFAULT_MAX_PAYLOAD,
        DispatchConfig.DEFAULT_LEASE_TIMEOUT, DispatchConfig.DEFAULT_MAX_IN_FLIGHT,
        DispatchConfig.DEFAULT_POLL_INTERVAL, false, List.of(), WebhookConfig.DEFAULT);
  }

  public ServerConfig withPort(int newPort) {
    return new ServerConfig(bind, newPort, dataDir, maxPayloadBytes, leaseTimeout, maxInFlight, pollInterval,
        sqliteFullSync, signingSecrets, webhooks);
  }

  public ServerConfig withDataDir(Path newDataDir) {
    return new ServerConfig(bind, port, newDataDir, maxPayloadBytes, leaseTimeout, maxInFlight, pollInterval,
        sqliteFullSync, signingSecrets, webhooks);
  }

  public ServerConfig withSigningSecrets(List<String> secrets) {
    return new ServerConfig(bind, port, dataDir, maxPayloadBytes, leaseTimeout, maxInFlight, pollInterval,
        sqliteFullSync, secrets, webhooks);
  }

  public ServerConfig withWebhooks(WebhookConfig newWebhooks) {
    return new ServerConfig(bind, port, dataDir, maxPayloadBytes, leaseTimeout, maxInFlight, pollInterval,
        sqliteFullSync, signingSecrets, newWebhooks);
  }

  public ServerConfig withLeaseTimeout(Duration newLeaseTimeout) {
    return new ServerConfig(bind, port, dataDir, maxPayloadBytes, newLeaseTimeout, maxInFlight, pollInterval,
        sqliteFullSync, signingSecrets, webhooks);
  }

  public Path databaseFile() {
    return dataDir.resolve("offload.db");
  }

  EngineConfig engineConfig(String version) {
    String nodeId = "node-" + UUID.randomUUID().toString().substring(0, 8);
    int connections = Math.max(64, Math.min(maxInFlight, 4_096));
    return new EngineConfig(
        new DispatchConfig(nodeId, leaseTimeout, maxInFlight, DispatchConfig.DEFAULT_CLAIM_BATCH, pollInterval),
        new InvokerConfig(InvokerConfig.DEFAULT_CONNECT_TIMEOUT, connections, maxInFlight + 1_000,
            InvokerConfig.DEFAULT_MAX_RESPONSE_BYTES, 16, "Offload/" + version),
        webhooks, EngineConfig.DEFAULT_IDEMPOTENCY_TTL, signingSecrets);
  }

  private static boolean isLoopback(String host) {
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("--bind " + host + " is not a known address", e);
    }
  }
}
