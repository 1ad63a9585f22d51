package dev.offload.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.offload.dispatch.DispatchConfig;
import dev.offload.dispatch.InvokerConfig;
import dev.offload.dispatch.WebhookConfig;
import dev.offload.net.TargetGuard;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class EngineConfigTest {
  @Test
  void the_builder_gives_every_setting_its_default() {
    EngineConfig config = EngineConfig.builder().build();

    assertThat(config.dispatch().nodeId()).matches("node-[0-9a-f]{8}");
    assertThat(config.dispatch())
        .isEqualTo(
            new DispatchConfig(
                config.dispatch().nodeId(),
                DispatchConfig.DEFAULT_LEASE_TIMEOUT,
                DispatchConfig.DEFAULT_MAX_IN_FLIGHT,
                DispatchConfig.DEFAULT_CLAIM_BATCH,
                DispatchConfig.DEFAULT_POLL_INTERVAL,
                DispatchConfig.DEFAULT_SHUTDOWN_GRACE,
                DispatchConfig.DEFAULT_COMMIT_PACE));
    assertThat(config.invoker())
        .isEqualTo(
            new InvokerConfig(
                InvokerConfig.DEFAULT_CONNECT_TIMEOUT,
                DispatchConfig.DEFAULT_MAX_IN_FLIGHT,
                DispatchConfig.DEFAULT_MAX_IN_FLIGHT + 1_000,
                InvokerConfig.DEFAULT_MAX_RESPONSE_BYTES,
                EngineConfig.DEFAULT_HTTP_THREADS,
                "Offload/dev",
                TargetGuard.off()));
    assertThat(config.webhooks()).isEqualTo(WebhookConfig.DEFAULT);
    assertThat(config.idempotencyTtl()).isEqualTo(EngineConfig.DEFAULT_IDEMPOTENCY_TTL);
    assertThat(config.signingSecrets()).isEmpty();
    assertThat(config.maxStateBytes()).isEqualTo(EngineConfig.DEFAULT_MAX_STATE_BYTES);
  }

  @Test
  void one_setting_changes_alone_and_the_connections_per_target_follow_max_in_flight_unless_set() {
    EngineConfig config =
        EngineConfig.builder().nodeId("node-a").maxInFlight(50).version("1.2.3").build();

    assertThat(config.dispatch().nodeId()).isEqualTo("node-a");
    assertThat(config.dispatch().maxInFlight()).isEqualTo(50);
    assertThat(config.dispatch().leaseTimeout()).isEqualTo(DispatchConfig.DEFAULT_LEASE_TIMEOUT);
    assertThat(config.invoker().maxConnectionsPerTarget()).isEqualTo(50);
    assertThat(config.invoker().maxQueuedPerTarget()).isEqualTo(1_050);
    assertThat(config.invoker().userAgent()).isEqualTo("Offload/1.2.3");
    assertThat(
            EngineConfig.builder()
                .maxInFlight(50)
                .maxConnectionsPerTarget(8)
                .build()
                .invoker()
                .maxConnectionsPerTarget())
        .isEqualTo(8);
  }

  @Test
  void build_says_which_setting_is_wrong() {
    assertThatThrownBy(() -> EngineConfig.builder().leaseTimeout(Duration.ofMillis(5)).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("leaseTimeout must be >= 100ms, got PT0.005S");
    assertThatThrownBy(() -> EngineConfig.builder().shutdownGrace(Duration.ofSeconds(-1)).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("shutdownGrace must be >= 0");
    assertThatThrownBy(() -> EngineConfig.builder().httpThreads(2).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("threads must be >= 4, got 2");
    assertThatThrownBy(() -> EngineConfig.builder().idempotencyTtl(Duration.ZERO).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("idempotencyTtl must be > 0");
    assertThatThrownBy(() -> EngineConfig.builder().maxStateBytes(0).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxStateBytes must be >= 1");
    assertThatThrownBy(() -> EngineConfig.builder().commitPace(Duration.ofSeconds(2)).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("commitPace must be between 0 and 1000ms, got PT2S");
  }
}
