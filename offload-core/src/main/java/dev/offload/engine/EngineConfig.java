package dev.offload.engine;

import dev.offload.dispatch.DispatchConfig;
import dev.offload.dispatch.InvokerConfig;
import dev.offload.dispatch.WebhookConfig;
import java.time.Duration;
import java.util.List;

/**
 * Everything the engine needs besides its store and clock. {@code maxStateBytes}: the largest
 * state a target may carry between the calls of a long task.
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

  public EngineConfig {
    if (dispatch == null || invoker == null || webhooks == null) {
      throw new IllegalArgumentException("dispatch, invoker and webhook settings are required");
    }
    if (idempotencyTtl == null || idempotencyTtl.isNegative() || idempotencyTtl.isZero()) {
      throw new IllegalArgumentException("idempotencyTtl must be > 0, got " + idempotencyTtl);
    }
    signingSecrets = List.copyOf(signingSecrets);
    if (version == null || version.isBlank()) throw new IllegalArgumentException("version is required");
    if (maxStateBytes < 1) throw new IllegalArgumentException("maxStateBytes must be >= 1, got " + maxStateBytes);
  }
}
