package dev.offload.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CidrTest {
  @Test
  void a_block_contains_the_addresses_under_its_prefix_only() {
    Cidr block = Cidr.parse("10.1.0.0/16");
    assertThat(block.contains(Cidr.literal("10.1.255.7"))).isTrue();
    assertThat(block.contains(Cidr.literal("10.2.0.1"))).isFalse();
    assertThat(block.contains(Cidr.literal("::ffff:10.1.0.1"))).as("other family").isFalse();
  }

  @Test
  void a_bare_address_is_a_block_of_one() {
    Cidr one = Cidr.parse("192.168.1.10");
    assertThat(one.prefixLength()).isEqualTo(32);
    assertThat(one.contains(Cidr.literal("192.168.1.10"))).isTrue();
    assertThat(one.contains(Cidr.literal("192.168.1.11"))).isFalse();
  }

  @Test
  void ipv6_blocks_parse_with_and_without_gaps_and_brackets() {
    assertThat(Cidr.parse("fc00::/7").contains(Cidr.literal("fdff:ffff::1"))).isTrue();
    assertThat(Cidr.parse("[2001:db8::1]").contains(Cidr.literal("2001:db8:0:0:0:0:0:1"))).isTrue();
    assertThat(Cidr.parse("::ffff:0:0/96").contains(Cidr.literal("::ffff:1.2.3.4"))).isTrue();
    assertThat(Cidr.parse("0.0.0.0/0").contains(Cidr.literal("203.0.113.9"))).isTrue();
    assertThat(Cidr.parse("fc00::/7").toString()).isEqualTo("fc00:0:0:0:0:0:0:0/7");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "example.com",
        "10.0.0.0/33",
        "::/129",
        "10.0.0/8",
        "256.0.0.1",
        "10.0.0.1/x",
        "1:2:3:4:5:6:7:8:9",
        "1::2::3",
        "12345::",
        "",
        "0x7f.0.0.1"
      })
  void refuses_what_is_not_an_address_block(String text) {
    assertThatThrownBy(() -> Cidr.parse(text)).isInstanceOf(IllegalArgumentException.class);
  }
}
