package dev.offload.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class SecurityConfigTest {
  private static final String TOKEN = "tok_0123456789abcdef";

  @Test
  void dev_mode_serves_loopback_only() {
    assertThatThrownBy(() -> ServerConfig.defaults().toBuilder().bind("0.0.0.0").build())
        .hasMessageContaining("--bind 0.0.0.0 is not a loopback address")
        .hasMessageContaining("--mode production");
  }

  @Test
  void production_mode_may_bind_any_address_but_needs_tokens() {
    SecurityConfig production =
        new SecurityConfig(SecurityConfig.Mode.PRODUCTION, List.of(TOKEN), List.of());
    assertThat(
            ServerConfig.defaults().toBuilder().bind("0.0.0.0").security(production).build().bind())
        .isEqualTo("0.0.0.0");
    assertThatThrownBy(
            () -> new SecurityConfig(SecurityConfig.Mode.PRODUCTION, List.of(), List.of()))
        .hasMessageContaining("--mode production needs API tokens: set OFFLOAD_API_TOKENS");
  }

  @Test
  void short_tokens_are_refused_without_being_echoed() {
    assertThatThrownBy(
            () -> new SecurityConfig(SecurityConfig.Mode.PRODUCTION, List.of("secret"), List.of()))
        .hasMessageContaining("at least 16")
        .message()
        .doesNotContain("secret");
  }

  @Test
  void the_settings_print_without_their_tokens() {
    SecurityConfig production =
        new SecurityConfig(SecurityConfig.Mode.PRODUCTION, List.of(TOKEN), List.of("10.0.0.0/8"));
    assertThat(production.toString())
        .doesNotContain(TOKEN)
        .contains("1 given")
        .contains("10.0.0.0/8");
    assertThat(ServerConfig.defaults().withSecurity(production).toString()).doesNotContain(TOKEN);
  }

  @Test
  void modes_and_allowed_targets_are_checked_at_start_up() {
    assertThatThrownBy(() -> SecurityConfig.Mode.parse("prod"))
        .hasMessage("--mode must be dev or production, got prod");
    assertThatThrownBy(
            () ->
                new SecurityConfig(
                    SecurityConfig.Mode.PRODUCTION, List.of(TOKEN), List.of("10.0.0.0/99")))
        .hasMessageContaining("--allow-target 10.0.0.0/99");
  }
}
