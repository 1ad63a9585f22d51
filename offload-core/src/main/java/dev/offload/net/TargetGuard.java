package dev.offload.net;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Decides which addresses Offload's own outbound calls (targets, webhooks) may reach. Off in dev
 * mode; in production mode it refuses the host itself, private networks and metadata services
 * ({@link AddressRanges}) unless an operator allows a block or host name with {@code
 * --allow-target}. Checked when a task is created and again on every connect, because a name can
 * resolve differently by then (DNS rebinding).
 */
public final class TargetGuard {
  private static final TargetGuard OFF = new TargetGuard(false, List.of(), Set.of());

  private final boolean enforcing;
  private final List<Cidr> allowedBlocks;
  private final Set<String> allowedHosts;

  private TargetGuard(boolean enforcing, List<Cidr> allowedBlocks, Set<String> allowedHosts) {
    this.enforcing = enforcing;
    this.allowedBlocks = List.copyOf(allowedBlocks);
    this.allowedHosts = Set.copyOf(allowedHosts);
  }

  public static TargetGuard off() {
    return OFF;
  }

  /**
   * A guard refusing private ranges except {@code allowed}: CIDR blocks ({@code 10.1.0.0/16}),
   * addresses, or host names matched exactly and case-insensitively.
   *
   * @throws IllegalArgumentException for an entry that is neither
   */
  public static TargetGuard refusingPrivate(List<String> allowed) {
    List<Cidr> blocks = new ArrayList<>();
    Set<String> hosts = new TreeSet<>();
    for (String entry : allowed) {
      String trimmed = entry.strip();
      if (trimmed.isEmpty()) continue;
      boolean hostName =
          trimmed.matches("[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?")
              && Cidr.literal(trimmed) == null
              && !trimmed.matches("[\\d.]+");
      if (hostName) {
        hosts.add(trimmed.toLowerCase(Locale.ROOT));
        continue;
      }
      try {
        blocks.add(Cidr.parse(trimmed));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "--allow-target "
                + trimmed
                + " is neither a host name nor a CIDR block: "
                + e.getMessage());
      }
    }
    return new TargetGuard(true, blocks, hosts);
  }

  public boolean enforcing() {
    return enforcing;
  }

  /** Why a call to {@code host} at {@code address} is refused, or empty when it may go. */
  public Optional<String> refusal(String host, InetAddress address) {
    if (!enforcing || allowedHosts.contains(host.toLowerCase(Locale.ROOT))) return Optional.empty();
    for (Cidr block : allowedBlocks) {
      if (block.contains(address)) return Optional.empty();
    }
    return AddressRanges.refusedRange(address)
        .map(
            range ->
                host
                    + " resolves to "
                    + address.getHostAddress()
                    + ", a "
                    + range.kind()
                    + " address; allow it with --allow-target");
  }

  /**
   * Why calls to {@code url} are refused, judged by every address its host resolves to now. A host
   * that does not resolve yet passes: the connect-time check judges what it resolves to then.
   */
  public Optional<String> refusal(URI url) {
    if (!enforcing) return Optional.empty();
    String host = url.getHost();
    if (host == null) return Optional.of("has no host");
    String bare =
        host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    try {
      for (InetAddress address : InetAddress.getAllByName(bare)) {
        Optional<String> refusal = refusal(bare, address);
        if (refusal.isPresent()) return refusal;
      }
      return Optional.empty();
    } catch (UnknownHostException e) {
      return Optional.empty();
    }
  }
}
