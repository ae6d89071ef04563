package io.campus.platform.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.net.PemTrustOptions;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.SslMode;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The readiness probe's own connection verifies the server as the pool does ({@link BackendTls}).
 */
class DatabaseProbeOptionsTest {

  @Test
  void theProbeVerifiesCertificateAndHostNameWithTheConfiguredCa() {
    PemTrustOptions ca = new PemTrustOptions().addCertPath("/etc/campus/rds-ca/ca.pem");
    PgConnectOptions options =
        DatabaseProbe.connectOptions(
            "postgresql://db.example:5432/campus?sslmode=verify-full",
            "campus_app",
            Optional.of("secret"),
            Duration.ofSeconds(1),
            BackendTlsTest.tls(BackendTlsTest.config(ca, false, null), null));
    assertThat(options.getSslMode()).isEqualTo(SslMode.VERIFY_FULL);
    assertThat(options.getHostnameVerificationAlgorithm()).isEqualTo("HTTPS");
    assertThat(options.isTrustAll()).isFalse();
    assertThat(((PemTrustOptions) options.getTrustOptions()).getCertPaths())
        .containsExactly("/etc/campus/rds-ca/ca.pem");
    assertThat(options.getUser()).isEqualTo("campus_app");
    assertThat(options.getConnectTimeout()).isEqualTo(1000);
  }

  @Test
  void withoutTlsConfigurationTheProbeConnectsInPlainText() {
    PgConnectOptions options =
        DatabaseProbe.connectOptions(
            "postgresql://127.0.0.1:5432/test",
            "postgres",
            Optional.empty(),
            Duration.ofSeconds(1),
            BackendTls.none());
    assertThat(options.getSslMode()).isEqualTo(SslMode.DISABLE);
    assertThat(options.getTrustOptions()).isNull();
    assertThat(options.getUser()).isEqualTo("postgres");
  }

  @Test
  void theProbeAndTheReadReplicaSessionsCountDaysInUtc() {
    // whatever the server's or the database's own TimeZone
    PgConnectOptions options =
        DatabaseProbe.connectOptions(
            "postgresql://127.0.0.1:5432/test",
            "postgres",
            Optional.empty(),
            Duration.ofSeconds(1),
            BackendTls.none());
    assertThat(options.getProperties()).containsEntry("TimeZone", "UTC");
  }

  @Test
  void theProbeRefusesTlsItCannotVerify() {
    assertThatThrownBy(
            () ->
                DatabaseProbe.connectOptions(
                    "postgresql://db.example:5432/campus?sslmode=require",
                    "campus_app",
                    Optional.empty(),
                    Duration.ofSeconds(1),
                    BackendTls.none()))
        .hasMessageContaining("sslmode=require");
  }
}
