package dev.offload.net;

import java.math.BigInteger;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * An address block such as {@code 10.0.0.0/8} or {@code fc00::/7}; a bare address is a block of
 * one.
 */
public record Cidr(byte[] network, int prefixLength) {
  public Cidr {
    network = network.clone();
    int bits = network.length * 8;
    if (network.length != 4 && network.length != 16)
      throw new IllegalArgumentException("an address has 4 or 16 bytes");
    if (prefixLength < 0 || prefixLength > bits) {
      throw new IllegalArgumentException(
          "prefix length must be 0.." + bits + ", got " + prefixLength);
    }
  }

  /**
   * Parses {@code address[/prefix]} with a literal IPv4 or IPv6 address (never a DNS lookup).
   *
   * @throws IllegalArgumentException naming what is wrong
   */
  public static Cidr parse(String text) {
    int slash = text.indexOf('/');
    String address = slash < 0 ? text : text.substring(0, slash);
    byte[] bytes = literal(address);
    if (bytes == null)
      throw new IllegalArgumentException(text + " is not an IP address or CIDR block");
    int prefix = bytes.length * 8;
    if (slash >= 0) {
      try {
        prefix = Integer.parseInt(text.substring(slash + 1));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(text + " has no valid prefix length after /");
      }
    }
    return new Cidr(bytes, prefix);
  }

  /**
   * The bytes of a literal IPv4 (dotted decimal) or IPv6 address, or null for anything else. Parsed
   * by hand because {@link InetAddress} turns {@code ::ffff:0:0} into an IPv4 address.
   */
  static byte[] literal(String text) {
    String bare =
        text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
    return bare.contains(":") ? ipv6(bare) : ipv4(bare);
  }

  private static byte[] ipv4(String text) {
    String[] parts = text.split("\\.", -1);
    if (parts.length != 4) return null;
    byte[] bytes = new byte[4];
    for (int i = 0; i < 4; i++) {
      if (!parts[i].matches("\\d{1,3}")) return null;
      int value = Integer.parseInt(parts[i]);
      if (value > 255) return null;
      bytes[i] = (byte) value;
    }
    return bytes;
  }

  private static byte[] ipv6(String text) {
    int gap = text.indexOf("::");
    if (gap >= 0 && text.indexOf("::", gap + 1) >= 0) return null;
    int[] head = groups(gap < 0 ? text : text.substring(0, gap), gap < 0);
    int[] tail = gap < 0 ? new int[0] : groups(text.substring(gap + 2), true);
    if (head == null || tail == null) return null;
    int given = head.length + tail.length;
    if (gap < 0 ? given != 8 : given > 7) return null;
    byte[] bytes = new byte[16];
    for (int i = 0; i < head.length; i++) put(bytes, i, head[i]);
    for (int i = 0; i < tail.length; i++) put(bytes, 8 - tail.length + i, tail[i]);
    return bytes;
  }

  /** 16-bit groups of one side of {@code ::}; a dotted IPv4 may end the last side. */
  private static int[] groups(String side, boolean last) {
    if (side.isEmpty()) return new int[0];
    String[] parts = side.split(":", -1);
    int[] groups = new int[parts.length + 1];
    int count = 0;
    for (int i = 0; i < parts.length; i++) {
      String part = parts[i];
      if (last && i == parts.length - 1 && part.contains(".")) {
        byte[] v4 = ipv4(part);
        if (v4 == null) return null;
        groups[count++] = (v4[0] & 0xff) << 8 | v4[1] & 0xff;
        groups[count++] = (v4[2] & 0xff) << 8 | v4[3] & 0xff;
      } else if (part.matches("[0-9A-Fa-f]{1,4}")) {
        groups[count++] = Integer.parseInt(part, 16);
      } else {
        return null;
      }
    }
    return Arrays.copyOf(groups, count);
  }

  private static void put(byte[] bytes, int group, int value) {
    bytes[group * 2] = (byte) (value >> 8);
    bytes[group * 2 + 1] = (byte) value;
  }

  public boolean contains(InetAddress address) {
    return contains(address.getAddress());
  }

  boolean contains(byte[] address) {
    if (address.length != network.length) return false;
    int bits = network.length * 8;
    BigInteger mask =
        BigInteger.ONE
            .shiftLeft(bits)
            .subtract(BigInteger.ONE)
            .xor(BigInteger.ONE.shiftLeft(bits - prefixLength).subtract(BigInteger.ONE));
    return new BigInteger(1, address).and(mask).equals(new BigInteger(1, network).and(mask));
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Cidr c
        && c.prefixLength == prefixLength
        && Arrays.equals(c.network, network);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(network) + prefixLength;
  }

  @Override
  public String toString() {
    try {
      InetAddress address =
          network.length == 4
              ? InetAddress.getByAddress(network)
              : Inet6Address.getByAddress(null, network, -1);
      return address.getHostAddress() + "/" + prefixLength;
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }
}
