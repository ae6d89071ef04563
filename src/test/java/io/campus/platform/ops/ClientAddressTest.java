package io.campus.platform.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Only a trusted proxy's own X-Forwarded-For entry names the client. */
class ClientAddressTest {

  private final ClientAddress behindAlb =
      new ClientAddress(List.of("10.41.0.0/20", "10.41.16.0/20", "fd00::/8"), 1);

  /**
   * An IPv6 client commonly holds a whole /64: one bucket for all of it, or every address of it
   * would get a fresh one.
   */
  @Test
  void ratesAreCountedPerIpv6SlashSixtyFourAndPerIpv4Address() {
    assertThat(ClientAddress.bucket("2001:db8:1:2::1"))
        .isEqualTo(ClientAddress.bucket("2001:db8:1:2:ffff:ffff:ffff:fffe"))
        .isEqualTo(ClientAddress.bucket("[2001:db8:1:2::77]"))
        .isNotEqualTo(ClientAddress.bucket("2001:db8:1:3::1"));
    assertThat(ClientAddress.bucket("203.0.113.9")).isEqualTo("203.0.113.9");
    assertThat(ClientAddress.bucket("::ffff:203.0.113.9")).isEqualTo("203.0.113.9");
    assertThat(ClientAddress.bucket("unknown")).isEqualTo("unknown");
    // only looks like an address: kept as it is, never looked up
    assertThat(ClientAddress.bucket("1.2.3.4.5")).isEqualTo("1.2.3.4.5");
    assertThat(ClientAddress.bucket("999.1.1.1")).isEqualTo("999.1.1.1");
  }

  @Test
  void aTrustedProxysEntryIsTheRightMostOneNotTheClientChosenFirst() {
    assertThat(behindAlb.resolve("10.41.3.7", List.of("6.6.6.6, 203.0.113.9")))
        .isEqualTo("203.0.113.9");
    // several header lines are one list, in order
    assertThat(behindAlb.resolve("10.41.17.1", List.of("1.1.1.1", "2.2.2.2, 198.51.100.4")))
        .isEqualTo("198.51.100.4");
    assertThat(behindAlb.resolve("fd00::1", List.of("203.0.113.10"))).isEqualTo("203.0.113.10");
  }

  @Test
  void anUntrustedPeerIsTheClientWhateverItForwards() {
    assertThat(behindAlb.resolve("203.0.113.50", List.of("10.0.0.1"))).isEqualTo("203.0.113.50");
    assertThat(behindAlb.resolve("10.41.48.9", List.of("1.2.3.4"))).isEqualTo("10.41.48.9");
    assertThat(new ClientAddress(List.of(), 1).resolve("10.41.3.7", List.of("1.2.3.4")))
        .isEqualTo("10.41.3.7");
    assertThat(behindAlb.resolve("10.41.3.7", List.of())).isEqualTo("10.41.3.7");
    assertThat(behindAlb.resolve("10.41.3.7", List.of(" , "))).isEqualTo("10.41.3.7");
  }

  @Test
  void moreHopsCountFromTheRight() {
    ClientAddress twoProxies = new ClientAddress(List.of("10.0.0.0/8"), 2);
    assertThat(twoProxies.resolve("10.1.2.3", List.of("6.6.6.6, 203.0.113.9, 130.176.1.1")))
        .isEqualTo("203.0.113.9");
    // fewer entries than hops: the left-most one
    assertThat(twoProxies.resolve("10.1.2.3", List.of("203.0.113.9"))).isEqualTo("203.0.113.9");
  }

  @Test
  void cidrsMatchOnTheirPrefixOnly() {
    ClientAddress single = new ClientAddress(List.of("127.0.0.1", "192.168.4.0/23"), 1);
    assertThat(single.trustedPeer("127.0.0.1")).isTrue();
    assertThat(single.trustedPeer("127.0.0.2")).isFalse();
    assertThat(single.trustedPeer("192.168.5.255")).isTrue();
    assertThat(single.trustedPeer("192.168.6.0")).isFalse();
    assertThat(single.trustedPeer("::1")).isFalse();
    assertThat(single.trustedPeer("not-an-address.example")).isFalse();
    assertThatThrownBy(() -> new ClientAddress(List.of("10.0.0.0/33"), 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ClientAddress(List.of("proxy.example/8"), 1))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
