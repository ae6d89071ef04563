package io.campus.platform.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.campus.platform.ops.BackendTls;
import io.quarkus.tls.BaseTlsConfiguration;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.TrustOptions;
import io.vertx.redis.client.RedisOptions;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The cache's pub/sub subscriber verifies Redis as the data client does. */
class SubscriberTlsTest {

  private static final PemTrustOptions CA =
      new PemTrustOptions().addCertPath("/etc/campus/elasticache-ca/ca.pem");

  private static BackendTls redisTls() {
    return new BackendTls(
        Optional.empty(),
        Optional.of(
            new BackendTls.Named(
                "elasticache",
                new BaseTlsConfiguration() {
                  @Override
                  public TrustOptions getTrustStoreOptions() {
                    return CA;
                  }
                })));
  }

  @Test
  void subscriberOverTlsVerifiesCertificateAndHostName() {
    RedisOptions options =
        RedisL2.ownClientOptions(
            "campus-invalidations",
            dataClient("rediss://:token@cache.example:6379", "rediss://b:6379"),
            redisTls(),
            4);
    assertThat(options.getEndpoint()).isEqualTo("rediss://:token@cache.example:6379");
    assertThat(options.getNetClientOptions().isSsl()).isTrue();
    assertThat(options.getNetClientOptions().getHostnameVerificationAlgorithm()).isEqualTo("HTTPS");
    assertThat(options.getNetClientOptions().getTrustOptions()).isSameAs(CA);
    assertThat(options.getNetClientOptions().isTrustAll()).isFalse();
  }

  @Test
  void subscriberRefusesTlsWithoutCa() {
    assertThatThrownBy(
            () ->
                RedisL2.ownClientOptions(
                    "campus-invalidations",
                    dataClient("rediss://cache:6379"),
                    BackendTls.none(),
                    4))
        .hasMessageContaining("quarkus.redis.tls-configuration-name");
  }

  @Test
  void plainSubscriberStaysPlain() {
    RedisOptions options =
        RedisL2.ownClientOptions(
            "campus-invalidations", dataClient("redis://127.0.0.1:6379"), BackendTls.none(), 4);
    assertThat(options.getNetClientOptions().isSsl()).isFalse();
  }

  @Test
  void ownClientsTakeTheDataClientsSettingsAndLeaveThemAlone() {
    RedisOptions data = dataClient("redis://cache:6379?client=campus", "redis://b:6379");
    data.setPassword("from-quarkus-redis-password").setMaxPoolSize(16);
    data.getNetClientOptions().setTcpKeepAlive(true).setConnectTimeout(500);
    data.getNetClientOptions().setMetricsName("redis|<default>");

    RedisOptions own = RedisL2.ownClientOptions("campus-cache", data, BackendTls.none(), 2);

    assertThat(own.getPassword()).isEqualTo("from-quarkus-redis-password");
    assertThat(own.getEndpoints()).containsExactly("redis://cache:6379?client=campus");
    assertThat(own.getNetClientOptions().isTcpKeepAlive()).isTrue();
    assertThat(own.getNetClientOptions().getConnectTimeout()).isEqualTo(500);
    assertThat(own.getMetricsName()).isEqualTo("campus-cache");
    assertThat(own.getMaxPoolSize()).isEqualTo(2);
    assertThat(data.getEndpoints()).hasSize(2);
    assertThat(data.getMetricsName()).isEqualTo("redis|<default>");
    assertThat(data.getMaxPoolSize()).isEqualTo(16);
    assertThat(
            RedisL2.ownClientOptions("c", dataClient("redis://a:6379"), BackendTls.none(), 1)
                .getNetClientOptions()
                .getConnectTimeout())
        .as("connect timeout when quarkus.redis.tcp.connection-timeout is unset")
        .isEqualTo(2000);
  }

  /** Options as Quarkus builds them for the data client from quarkus.redis.hosts. */
  private static RedisOptions dataClient(String... endpoints) {
    RedisOptions options = new RedisOptions();
    for (String endpoint : endpoints) {
      options.addConnectionString(endpoint);
    }
    return options;
  }
}
