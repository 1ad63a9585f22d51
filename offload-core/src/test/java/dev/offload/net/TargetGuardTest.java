package dev.offload.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Decisions only: no connection is opened, and only literals and localhost are resolved. */
class TargetGuardTest {
  private static InetAddress address(String literal) throws Exception {
    return InetAddress.getByAddress(Cidr.literal(literal));
  }

  @Test
  void off_lets_everything_through() throws Exception {
    assertThat(TargetGuard.off().refusal("localhost", address("127.0.0.1"))).isEmpty();
    assertThat(TargetGuard.off().refusal(URI.create("http://127.0.0.1:9/"))).isEmpty();
  }

  @Test
  void production_refuses_private_addresses_and_says_which_and_how_to_allow() throws Exception {
    TargetGuard guard = TargetGuard.refusingPrivate(List.of());
    assertThat(guard.refusal("metadata.internal", address("169.254.169.254")))
        .hasValue(
            "metadata.internal resolves to 169.254.169.254, a link-local (cloud metadata) address; allow it with --allow-target");
    assertThat(guard.refusal("example.com", address("93.184.215.14"))).isEmpty();
  }

  @Test
  void urls_are_judged_by_what_their_host_resolves_to() {
    TargetGuard guard = TargetGuard.refusingPrivate(List.of());
    assertThat(guard.refusal(URI.create("http://127.0.0.1:8080/x")))
        .get()
        .asString()
        .contains("loopback");
    assertThat(guard.refusal(URI.create("http://[::1]:8080/x")))
        .get()
        .asString()
        .contains("loopback");
    assertThat(guard.refusal(URI.create("http://localhost:8080/x")))
        .get()
        .asString()
        .contains("loopback");
    assertThat(guard.refusal(URI.create("http://[::ffff:10.0.0.1]/x")))
        .get()
        .asString()
        .contains("private");
  }

  @Test
  void allowed_blocks_and_host_names_pass() throws Exception {
    TargetGuard guard =
        TargetGuard.refusingPrivate(List.of("10.1.0.0/16", "Jobs.Internal", "127.0.0.1"));
    assertThat(guard.refusal("a", address("10.1.2.3"))).isEmpty();
    assertThat(guard.refusal("a", address("10.2.0.1"))).isPresent();
    assertThat(guard.refusal("jobs.internal", address("10.9.9.9"))).isEmpty();
    assertThat(guard.refusal(URI.create("http://127.0.0.1:8080/x"))).isEmpty();
  }

  @Test
  void an_allow_entry_that_is_neither_a_block_nor_a_name_is_refused_at_start_up() {
    assertThatThrownBy(() -> TargetGuard.refusingPrivate(List.of("10.0.0.0/40")))
        .hasMessageContaining("--allow-target 10.0.0.0/40 is neither")
        .hasMessageContaining("prefix length");
    assertThatThrownBy(() -> TargetGuard.refusingPrivate(List.of("10.0.0")))
        .hasMessageContaining("--allow-target 10.0.0 is neither");
    assertThatThrownBy(() -> TargetGuard.refusingPrivate(List.of("http://x")))
        .hasMessageContaining("--allow-target http://x is neither");
  }
}
