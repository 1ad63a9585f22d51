package dev.offload.net;

import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.util.Promise;
import org.eclipse.jetty.util.SocketAddressResolver;

/**
 * Resolves a target's host and keeps only the addresses the {@link TargetGuard} allows, so the HTTP
 * client never opens a connection to a refused address whatever the name resolves to at connect
 * time.
 */
public final class GuardedResolver implements SocketAddressResolver {
  private final SocketAddressResolver delegate;
  private final TargetGuard guard;

  public GuardedResolver(SocketAddressResolver delegate, TargetGuard guard) {
    this.delegate = delegate;
    this.guard = guard;
  }

  @Override
  public void resolve(
      String host,
      int port,
      Map<String, Object> context,
      Promise<List<InetSocketAddress>> promise) {
    delegate.resolve(
        host,
        port,
        context,
        new Promise<>() {
          @Override
          public void succeeded(List<InetSocketAddress> addresses) {
            List<InetSocketAddress> allowed = new ArrayList<>();
            String firstRefusal = null;
            for (InetSocketAddress address : addresses) {
              Optional<String> refusal = guard.refusal(host, address.getAddress());
              if (refusal.isEmpty()) allowed.add(address);
              else if (firstRefusal == null) firstRefusal = refusal.get();
            }
            if (allowed.isEmpty()) {
              promise.failed(new ConnectException("refused by the target guard: " + firstRefusal));
            } else {
              promise.succeeded(allowed);
            }
          }

          @Override
          public void failed(Throwable failure) {
            promise.failed(failure);
          }
        });
  }
}
