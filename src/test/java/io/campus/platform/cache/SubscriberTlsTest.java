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
            "rediss://:token@cache.example:6379,rediss://b:6379",
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
                    "campus-invalidations", "rediss://cache:6379", BackendTls.none(), 4))
        .hasMessageContaining("quarkus.redis.tls-configuration-name");
  }

  @Test
  void plainSubscriberStaysPlain() {
    RedisOptions options =
        RedisL2.ownClientOptions(
            "campus-invalidations", "redis://127.0.0.1:6379", BackendTls.none(), 4);
    assertThat(options.getNetClientOptions().isSsl()).isFalse();
  }
}
