package io.campus.platform.ops;

import io.quarkus.arc.Arc;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * The client address rate limits are keyed on. X-Forwarded-For is read only when the direct peer is
 * a configured trusted proxy ({@code campus.ops.rate-limit.trusted-proxies}), and then only the
 * entry that proxy appended: {@code proxy-hops} counted from the right. Entries further left are
 * written by the client and never trusted. Quarkus's own forwarding support
 * (quarkus.http.proxy.proxy-address-forwarding) takes the left-most entry, so it stays off.
 */
@ApplicationScoped
public class ClientAddress {

  private final List<Cidr> trusted;
  private final int hops;
  private final Instance<CurrentVertxRequest> requests;

  @Inject
  public ClientAddress(OpsConfig ops, Instance<CurrentVertxRequest> requests) {
    this(ops.rateLimit().trustedProxies().orElse(List.of()), ops.rateLimit().proxyHops(), requests);
  }

  ClientAddress(List<String> trustedProxies, int hops) {
    this(trustedProxies, hops, null);
  }

  private ClientAddress(
      List<String> trustedProxies, int hops, Instance<CurrentVertxRequest> requests) {
    this.requests = requests;
    List<Cidr> cidrs = new ArrayList<>();
    for (String cidr : trustedProxies) {
      if (!cidr.isBlank()) {
        cidrs.add(Cidr.parse(cidr.trim()));
      }
    }
    this.trusted = List.copyOf(cidrs);
    this.hops = Math.max(1, hops);
  }

  /** The client of this request. */
  public String of(HttpServerRequest http) {
    // the socket's peer, even if Quarkus forwarding were turned on (it rewrites remoteAddress())
    SocketAddress peerAddress =
        http.connection() != null ? http.connection().remoteAddress() : http.remoteAddress();
    String peer = peerAddress == null ? null : peerAddress.hostAddress();
    return resolve(peer, http.headers().getAll("X-Forwarded-For"));
  }

  /** The rate-limit bucket of this request's client ({@link #bucket(String)}). */
  public String bucketOf(HttpServerRequest http) {
    return bucket(of(http));
  }

  /**
   * The key rates are counted on for a client address: an IPv4 address itself, an IPv6 address's
   * /64 (a client commonly holds a whole /64 and could otherwise take a fresh bucket per address).
   */
  static String bucket(String client) {
    byte[] address = literal(client);
    if (address == null || address.length != 16) {
      // IPv4 (IPv4-mapped IPv6 comes back as IPv4) or not an address
      return address == null ? client : formatIpv4(address);
    }
    StringBuilder prefix = new StringBuilder();
    for (int i = 0; i < 8; i += 2) {
      prefix.append(Integer.toHexString(((address[i] & 0xff) << 8) | (address[i + 1] & 0xff)));
      prefix.append(':');
    }
    return prefix.append(":/64").toString();
  }

  private static String formatIpv4(byte[] address) {
    return (address[0] & 0xff)
        + "."
        + (address[1] & 0xff)
        + "."
        + (address[2] & 0xff)
        + "."
        + (address[3] & 0xff);
  }

  /** The HTTP request being served on this thread, or null outside of one. */
  public RoutingContext currentRequest() {
    try {
      if (requests == null
          || !Arc.container().requestContext().isActive()
          || !requests.isResolvable()) {
        return null;
      }
      return requests.get().getCurrent();
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** The client of the HTTP request being served on this thread, or null outside of one. */
  public String current() {
    RoutingContext request = currentRequest();
    return request == null ? null : of(request.request());
  }

  /** The client, given the direct peer and every X-Forwarded-For header line in order. */
  String resolve(String peer, List<String> forwardedFor) {
    if (peer == null) {
      return "unknown";
    }
    if (forwardedFor == null || forwardedFor.isEmpty() || !trustedPeer(peer)) {
      return peer;
    }
    List<String> entries = new ArrayList<>();
    for (String line : forwardedFor) {
      for (String entry : line.split(",")) {
        if (!entry.isBlank()) {
          entries.add(entry.trim());
        }
      }
    }
    if (entries.isEmpty()) {
      return peer;
    }
    // Fewer entries than hops: the request skipped an outer proxy; the left-most is the best known.
    String client = entries.get(Math.max(0, entries.size() - hops));
    return client.length() > 64 ? peer : client;
  }

  boolean trustedPeer(String peer) {
    if (trusted.isEmpty()) {
      return false;
    }
    byte[] address = literal(peer);
    if (address == null) {
      return false;
    }
    for (Cidr cidr : trusted) {
      if (cidr.contains(address)) {
        return true;
      }
    }
    return false;
  }

  /** An IP literal's bytes (never a DNS lookup), or null. */
  private static byte[] literal(String text) {
    String host = text;
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    if (host.isEmpty() || !(host.indexOf(':') >= 0 || host.matches("[0-9.]+"))) {
      return null;
    }
    // Netty's parser: no DNS lookup for what only looks like an address ("1.2.3.4.5")
    byte[] address = io.netty.util.NetUtil.createByteArrayFromIpAddressString(host);
    if (address == null) {
      return null;
    }
    try {
      // an IPv4-mapped IPv6 address comes back as IPv4
      return InetAddress.getByAddress(address).getAddress();
    } catch (UnknownHostException e) {
      return null;
    }
  }

  record Cidr(byte[] network, int prefix) {

    static Cidr parse(String text) {
      int slash = text.indexOf('/');
      byte[] address = literal(slash < 0 ? text : text.substring(0, slash));
      if (address == null) {
        throw new IllegalArgumentException("Not an IP address or CIDR: " + text);
      }
      int prefix = slash < 0 ? address.length * 8 : Integer.parseInt(text.substring(slash + 1));
      if (prefix < 0 || prefix > address.length * 8) {
        throw new IllegalArgumentException("Bad prefix length: " + text);
      }
      return new Cidr(address, prefix);
    }

    boolean contains(byte[] address) {
      if (address.length != network.length) {
        return false;
      }
      int bits = prefix;
      for (int i = 0; i < address.length && bits > 0; i++, bits -= 8) {
        int mask = bits >= 8 ? 0xFF : (0xFF << (8 - bits)) & 0xFF;
        if ((address[i] & mask) != (network[i] & mask)) {
          return false;
        }
      }
      return true;
    }
  }
}
