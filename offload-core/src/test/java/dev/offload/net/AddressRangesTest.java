package dev.offload.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Pure address checks: nothing here opens a connection or asks DNS. */
class AddressRangesTest {
  @ParameterizedTest
  @CsvSource({
    "127.0.0.1, loopback",
    "127.255.255.254, loopback",
    "::1, loopback",
    "0.0.0.0, unspecified",
    "::, unspecified",
    "10.0.0.1, private",
    "172.16.0.1, private",
    "172.31.255.255, private",
    "192.168.1.1, private",
    "169.254.169.254, link-local (cloud metadata)",
    "100.100.100.200, shared address space",
    "fd00:ec2::254, unique local",
    "fc00::1, unique local",
    "fe80::1, link-local",
    "fec0::1, site-local",
    "224.0.0.1, multicast",
    "ff02::1, multicast",
    "255.255.255.255, reserved",
    "::ffff:127.0.0.1, loopback",
    "::ffff:7f00:1, loopback",
    "::ffff:169.254.169.254, link-local",
    "::127.0.0.1, loopback",
    "64:ff9b::a00:1, private",
    "64:ff9b::169.254.169.254, link-local",
    "2002:c0a8:0101::1, private",
    "2002:7f00:0001::, loopback",
    "2001:0:4136:e378:8000:63bf:3fff:fdd2, Teredo"
  })
  void refuses_the_host_private_networks_and_metadata_in_every_form(String address, String kind) {
    Optional<AddressRanges.Range> range = AddressRanges.refusedRange(Cidr.literal(address));
    assertThat(range).as(address).isPresent();
    assertThat(range.get().kind()).as(address).startsWith(kind);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "8.8.8.8",
        "1.1.1.1",
        "172.32.0.1",
        "172.15.255.255",
        "100.128.0.1",
        "169.255.0.1",
        "11.0.0.1",
        "2606:4700:4700::1111",
        "2a00:1450:4001:80b::200e",
        "::ffff:8.8.8.8",
        "64:ff9b::808:808",
        "2002:0808:0808::1"
      })
  void lets_public_addresses_through(String address) {
    assertThat(AddressRanges.refusedRange(Cidr.literal(address))).as(address).isEmpty();
  }
}
