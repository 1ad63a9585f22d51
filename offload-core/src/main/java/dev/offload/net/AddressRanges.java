package dev.offload.net;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

/**
 * The address blocks a server-side request must not reach unless an operator allows them: the host
 * itself, private networks and cloud metadata services. IPv6 forms that carry an IPv4 address
 * (mapped, compatible, NAT64, 6to4) are judged by the IPv4 address inside.
 */
public final class AddressRanges {
  /** A refused block and why, for error messages. */
  public record Range(Cidr block, String kind) {}

  static final List<Range> REFUSED =
      List.of(
          range("0.0.0.0/8", "unspecified"),
          range("127.0.0.0/8", "loopback"),
          range("10.0.0.0/8", "private"),
          range("172.16.0.0/12", "private"),
          range("192.168.0.0/16", "private"),
          range("100.64.0.0/10", "shared address space (carrier NAT, some metadata services)"),
          range("169.254.0.0/16", "link-local (cloud metadata)"),
          range("192.0.0.0/24", "IETF protocol assignments"),
          range("198.18.0.0/15", "benchmarking"),
          range("224.0.0.0/4", "multicast"),
          range("240.0.0.0/4", "reserved"),
          range("::/128", "unspecified"),
          range("::1/128", "loopback"),
          range("fc00::/7", "unique local (private, cloud metadata)"),
          range("fe80::/10", "link-local"),
          range("fec0::/10", "site-local"),
          range("ff00::/8", "multicast"),
          range("2001::/32", "Teredo (hides an IPv4 address)"));

  private static final Cidr IPV4_MAPPED = Cidr.parse("::ffff:0:0/96");
  private static final Cidr IPV4_COMPATIBLE = Cidr.parse("::/96");
  private static final Cidr NAT64 = Cidr.parse("64:ff9b::/96");
  private static final Cidr SIX_TO_FOUR = Cidr.parse("2002::/16");

  private AddressRanges() {}

  /** The refused block {@code address} falls in, if any. */
  public static Optional<Range> refusedRange(InetAddress address) {
    return refusedRange(address.getAddress());
  }

  static Optional<Range> refusedRange(byte[] address) {
    byte[] embedded = embeddedIpv4(address);
    if (embedded != null) return refusedRange(embedded);
    for (Range range : REFUSED) {
      if (range.block().contains(address)) return Optional.of(range);
    }
    return Optional.empty();
  }

  private static byte[] embeddedIpv4(byte[] address) {
    if (address.length != 16) return null;
    if (IPV4_MAPPED.contains(address) || NAT64.contains(address)) return slice(address, 12);
    // ::/96 holds :: and ::1 too, which the table names precisely.
    if (IPV4_COMPATIBLE.contains(address) && !isAtMostOne(address)) return slice(address, 12);
    if (SIX_TO_FOUR.contains(address)) return slice(address, 2);
    return null;
  }

  private static boolean isAtMostOne(byte[] address) {
    for (int i = 0; i < 15; i++) {
      if (address[i] != 0) return false;
    }
    return (address[15] & 0xff) <= 1;
  }

  private static byte[] slice(byte[] address, int from) {
    return new byte[] {address[from], address[from + 1], address[from + 2], address[from + 3]};
  }

  private static Range range(String cidr, String kind) {
    return new Range(Cidr.parse(cidr), kind);
  }
}
