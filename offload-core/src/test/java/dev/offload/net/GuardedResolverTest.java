package dev.offload.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.eclipse.jetty.util.Promise;
import org.eclipse.jetty.util.SocketAddressResolver;
import org.junit.jupiter.api.Test;

/**
 * A name that resolves to a refused address at connect time (DNS rebinding) yields nothing to dial.
 */
class GuardedResolverTest {
  private static SocketAddressResolver answering(String... literals) {
    return (host, port, context, promise) ->
        promise.succeeded(
            java.util.Arrays.stream(literals)
                .map(literal -> new InetSocketAddress(address(literal), port))
                .toList());
  }

  private static InetAddress address(String literal) {
    try {
      return InetAddress.getByAddress(Cidr.literal(literal));
    } catch (java.net.UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  private static CompletableFuture<List<InetSocketAddress>> resolve(
      SocketAddressResolver resolver) {
    CompletableFuture<List<InetSocketAddress>> result = new CompletableFuture<>();
    resolver.resolve(
        "rebind.example",
        443,
        Map.of(),
        Promise.from(result::complete, result::completeExceptionally));
    return result;
  }

  @Test
  void a_name_resolving_only_to_refused_addresses_fails_to_connect() {
    GuardedResolver resolver =
        new GuardedResolver(answering("169.254.169.254"), TargetGuard.refusingPrivate(List.of()));
    assertThat(resolve(resolver))
        .failsWithin(java.time.Duration.ofSeconds(1))
        .withThrowableThat()
        .withCauseInstanceOf(ConnectException.class)
        .withMessageContaining(
            "refused by the target guard: rebind.example resolves to 169.254.169.254");
  }

  @Test
  void refused_addresses_are_dropped_and_allowed_ones_kept() {
    GuardedResolver resolver =
        new GuardedResolver(
            answering("127.0.0.1", "93.184.215.14"), TargetGuard.refusingPrivate(List.of()));
    assertThat(resolve(resolver).join())
        .extracting(a -> a.getAddress().getHostAddress())
        .containsExactly("93.184.215.14");
  }
}
