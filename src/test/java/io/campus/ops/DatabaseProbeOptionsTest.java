package io.campus.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.net.PemTrustOptions;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.SslMode;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The readiness probe's own connection verifies the server with the pool's PEM CA bundle. */
class DatabaseProbeOptionsTest {

  @Test
  void theProbeTrustsTheSameCaFilesAsThePool() {
    PgConnectOptions options =
        DatabaseProbe.connectOptions(
            "postgresql://db.example:5432/campus?sslmode=verify-full",
            "campus_app",
            Optional.of("secret"),
            Duration.ofSeconds(1),
            Optional.of(List.of("/etc/campus/tls/rds-ca.pem")));
    assertThat(options.getSslMode()).isEqualTo(SslMode.VERIFY_FULL);
    assertThat(options.getTrustOptions()).isInstanceOf(PemTrustOptions.class);
    assertThat(((PemTrustOptions) options.getTrustOptions()).getCertPaths())
        .containsExactly("/etc/campus/tls/rds-ca.pem");
    assertThat(options.getUser()).isEqualTo("campus_app");
    assertThat(options.getConnectTimeout()).isEqualTo(1000);
  }

  @Test
  void withoutCaFilesNothingIsTrustedBeyondTheDefaults() {
    PgConnectOptions options =
        DatabaseProbe.connectOptions(
            "postgresql://127.0.0.1:5432/test",
            "postgres",
            Optional.empty(),
            Duration.ofSeconds(1),
            Optional.empty());
    assertThat(options.getTrustOptions()).isNull();
    assertThat(options.getUser()).isEqualTo("postgres");
  }
}
