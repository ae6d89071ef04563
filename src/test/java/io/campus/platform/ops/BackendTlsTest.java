package io.campus.platform.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quarkus.tls.BaseTlsConfiguration;
import io.quarkus.tls.TlsConfiguration;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.TrustOptions;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.SslMode;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Every PostgreSQL and Redis client verifies the server's certificate against the configured CA and
 * its host name, and unsafe settings are refused with a message naming what to change.
 */
class BackendTlsTest {

  static final PemTrustOptions RDS_CA =
      new PemTrustOptions().addCertPath("/etc/campus/rds-ca/ca.pem");

  /** A TLS registry configuration as {@code quarkus.tls.<name>.*} would give it. */
  static TlsConfiguration config(TrustOptions trust, boolean trustAll, String hostnameAlgorithm) {
    return new BaseTlsConfiguration() {
      @Override
      public TrustOptions getTrustStoreOptions() {
        return trust;
      }

      @Override
      public boolean isTrustAll() {
        return trustAll;
      }

      @Override
      public Optional<String> getHostnameVerificationAlgorithm() {
        return Optional.ofNullable(hostnameAlgorithm);
      }
    };
  }

  static BackendTls tls(TlsConfiguration db, TlsConfiguration redis) {
    return new BackendTls(
        Optional.ofNullable(db).map(c -> new BackendTls.Named("rds", c)),
        Optional.ofNullable(redis).map(c -> new BackendTls.Named("elasticache", c)));
  }

  @Test
  void postgresVerifiesCertificateAndHostNameWithTheConfiguredCa() {
    BackendTls tls = tls(config(RDS_CA, false, null), null);
    PgConnectOptions options =
        tls.postgres(PgConnectOptions.fromUri("postgresql://db.example:5432/campus"));
    assertThat(options.getSslMode()).isEqualTo(SslMode.VERIFY_FULL);
    assertThat(options.getHostnameVerificationAlgorithm()).isEqualTo("HTTPS");
    assertThat(options.isTrustAll()).isFalse();
    assertThat(options.getTrustOptions()).isSameAs(RDS_CA);
    // The pipelined client copies the pool's options: the copy verifies the same way.
    PgConnectOptions copy = new PgConnectOptions(options);
    assertThat(copy.getSslMode()).isEqualTo(SslMode.VERIFY_FULL);
    assertThat(copy.getHostnameVerificationAlgorithm()).isEqualTo("HTTPS");
    assertThat(copy.getTrustOptions()).isNotNull();
  }

  @Test
  void verifyFullInTheUrlIsKeptAndWeakerModesAreRefused() {
    BackendTls tls = tls(config(RDS_CA, false, null), null);
    assertThat(
            tls.postgres(PgConnectOptions.fromUri("postgresql://db:5432/c?sslmode=verify-full"))
                .getSslMode())
        .isEqualTo(SslMode.VERIFY_FULL);
    for (String mode : List.of("require", "verify-ca", "prefer", "allow")) {
      assertThatThrownBy(
              () ->
                  tls.postgres(PgConnectOptions.fromUri("postgresql://db:5432/c?sslmode=" + mode)))
          .as(mode)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("sslmode=" + mode)
          .hasMessageContaining("verify-full");
    }
  }

  @Test
  void tlsWithoutACaIsRefused() {
    assertThatThrownBy(
            () ->
                BackendTls.none()
                    .postgres(PgConnectOptions.fromUri("postgresql://db:5432/c?sslmode=require")))
        .hasMessageContaining("no CA")
        .hasMessageContaining("campus.ops.db.tls-configuration-name");
    assertThatThrownBy(() -> tls(config(null, false, null), null))
        .hasMessageContaining("no trust store")
        .hasMessageContaining("quarkus.tls.rds.trust-store.pem.certs");
    assertThatThrownBy(
            () -> BackendTls.none().redis(List.of("rediss://cache:6379"), new NetClientOptions()))
        .hasMessageContaining("quarkus.redis.tls-configuration-name");
  }

  @Test
  void disabledHostNameVerificationIsRefused() {
    assertThatThrownBy(() -> tls(config(RDS_CA, false, "NONE"), null))
        .hasMessageContaining("quarkus.tls.rds.hostname-verification-algorithm=NONE");
    assertThatThrownBy(() -> tls(null, config(RDS_CA, false, "")))
        .hasMessageContaining("host name verification off");
  }

  @Test
  void explicitTrustAllIsHonouredButOnlyRequiresTls() {
    BackendTls tls = tls(config(null, true, null), null);
    PgConnectOptions options = tls.postgres(PgConnectOptions.fromUri("postgresql://db:5432/c"));
    assertThat(options.getSslMode()).isEqualTo(SslMode.REQUIRE);
    assertThat(options.isTrustAll()).isTrue();
  }

  @Test
  void plainConnectionsStayPlainWithoutConfiguration() {
    PgConnectOptions pg =
        BackendTls.none().postgres(PgConnectOptions.fromUri("postgresql://127.0.0.1:5432/c"));
    assertThat(pg.getSslMode()).isEqualTo(SslMode.DISABLE);
    NetClientOptions redis =
        BackendTls.none().redis(List.of("redis://127.0.0.1:6379"), new NetClientOptions());
    assertThat(redis.isSsl()).isFalse();
  }

  @Test
  void redisVerifiesCertificateAndHostName() {
    PemTrustOptions ca = new PemTrustOptions().addCertPath("/etc/campus/elasticache-ca/ca.pem");
    BackendTls tls = tls(null, config(ca, false, null));
    NetClientOptions options =
        tls.redis(List.of("rediss://:token@cache.example:6379"), new NetClientOptions());
    assertThat(options.isSsl()).isTrue();
    assertThat(options.getHostnameVerificationAlgorithm()).isEqualTo("HTTPS");
    assertThat(options.getTrustOptions()).isSameAs(ca);
    assertThat(options.isTrustAll()).isFalse();
    assertThatThrownBy(
            () -> tls.redis(List.of("redis://cache.example:6379"), new NetClientOptions()))
        .hasMessageContaining("use rediss://");
  }

  @Test
  void flywayJdbcUrlMustVerifyTheHostName() {
    BackendTls.checkJdbcUrl("jdbc:postgresql://127.0.0.1:5432/campus", false);
    BackendTls.checkJdbcUrl(
        "jdbc:postgresql://db:5432/campus?sslmode=verify-full&sslrootcert=/etc/campus/rds-ca/ca.pem",
        true);
    assertThatThrownBy(
            () -> BackendTls.checkJdbcUrl("jdbc:postgresql://db:5432/campus?sslmode=require", true))
        .hasMessageContaining("sslmode=require")
        .hasMessageContaining("verify-full");
    assertThatThrownBy(
            () ->
                BackendTls.checkJdbcUrl(
                    "jdbc:postgresql://db:5432/campus?ssl=true&sslmode=verify-ca", false))
        .hasMessageContaining("sslmode=verify-ca");
    assertThatThrownBy(
            () ->
                BackendTls.checkJdbcUrl(
                    "jdbc:postgresql://db:5432/campus?ssl=true"
                        + "&sslfactory=org.postgresql.ssl.NonValidatingFactory",
                    false))
        .hasMessageContaining("sslfactory");
    assertThatThrownBy(() -> BackendTls.checkJdbcUrl("jdbc:postgresql://db:5432/campus", true))
        .hasMessageContaining("does not use TLS");
  }

  @Test
  void theRedisDataClientVerifiesTheHostNameAndRefusesMismatchedSettings() {
    io.vertx.redis.client.RedisOptions options =
        new io.vertx.redis.client.RedisOptions().setConnectionString("rediss://cache:6379");
    new RedisTls(Optional.of("elasticache")).customize("<default>", options);
    assertThat(options.getNetClientOptions().isSsl()).isTrue();
    assertThat(options.getNetClientOptions().getHostnameVerificationAlgorithm()).isEqualTo("HTTPS");
    assertThatThrownBy(
            () ->
                new RedisTls(Optional.empty())
                    .customize(
                        "<default>",
                        new io.vertx.redis.client.RedisOptions()
                            .setConnectionString("rediss://cache:6379")))
        .hasMessageContaining("quarkus.redis.tls-configuration-name");
    assertThatThrownBy(
            () ->
                new RedisTls(Optional.of("elasticache"))
                    .customize(
                        "<default>",
                        new io.vertx.redis.client.RedisOptions()
                            .setConnectionString("redis://cache:6379")))
        .hasMessageContaining("use rediss://");
    io.vertx.redis.client.RedisOptions plain =
        new io.vertx.redis.client.RedisOptions().setConnectionString("redis://127.0.0.1:6379");
    new RedisTls(Optional.empty()).customize("<default>", plain);
    assertThat(plain.getNetClientOptions().isSsl()).isFalse();
  }
}
