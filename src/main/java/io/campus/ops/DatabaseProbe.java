package io.campus.ops;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.PgConnection;
import io.vertx.pgclient.PgConnectOptions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Checks PostgreSQL in the background on a connection of its own, so readiness answers from the
 * last result in microseconds, never piles probes onto the database, and never waits behind
 * requests for a pooled connection.
 */
@ApplicationScoped
public class DatabaseProbe {

  private static final Logger LOG = Logger.getLogger(DatabaseProbe.class);

  private final Vertx vertx;
  private final OpsConfig.Probes config;
  private final PgConnectOptions options;
  private final AtomicBoolean running = new AtomicBoolean();
  private volatile PgConnection connection;
  private volatile boolean up;
  private volatile Instant lastSuccess = Instant.EPOCH;
  private volatile String lastError = "not checked yet";
  private volatile long timerId = -1;

  public DatabaseProbe(
      Vertx vertx,
      OpsConfig config,
      @ConfigProperty(name = "quarkus.datasource.reactive.url") List<String> urls,
      @ConfigProperty(name = "quarkus.datasource.username") String user,
      @ConfigProperty(name = "quarkus.datasource.password") java.util.Optional<String> password,
      @ConfigProperty(name = "quarkus.datasource.reactive.trust-certificate-pem.certs")
          java.util.Optional<List<String>> caCertificates) {
    this.vertx = vertx;
    this.config = config.probes();
    this.options =
        connectOptions(urls.get(0), user, password, this.config.dbTimeout(), caCertificates);
  }

  /**
   * The probe's own connection settings: the pool's URL and credentials, and the same PEM CA
   * certificates the pool trusts, so with {@code sslmode=verify-full} the probe verifies the server
   * as the pool does (a native executable has no JVM trust store to fall back on).
   */
  static PgConnectOptions connectOptions(
      String url,
      String user,
      java.util.Optional<String> password,
      java.time.Duration timeout,
      java.util.Optional<List<String>> caCertificates) {
    PgConnectOptions parsed = PgConnectOptions.fromUri(url);
    parsed.setUser(user);
    password.ifPresent(parsed::setPassword);
    parsed.setConnectTimeout((int) timeout.toMillis());
    parsed.addProperty("application_name", "campus-probe");
    // Its own name in the client metrics, apart from the request pool's.
    parsed.setMetricsName("campus-probe");
    parsed.setTracingPolicy(io.vertx.core.tracing.TracingPolicy.IGNORE);
    caCertificates.ifPresent(
        paths -> {
          io.vertx.core.net.PemTrustOptions pem = new io.vertx.core.net.PemTrustOptions();
          paths.forEach(pem::addCertPath);
          parsed.setPemTrustOptions(pem);
        });
    return parsed;
  }

  void onStart(@Observes StartupEvent event) {
    check();
    timerId = vertx.setPeriodic(config.dbInterval().toMillis(), id -> check());
  }

  void onStop(@Observes ShutdownEvent event) {
    if (timerId >= 0) {
      vertx.cancelTimer(timerId);
    }
    PgConnection current = connection;
    if (current != null) {
      current.closeAndForget();
    }
  }

  public boolean up() {
    // A probe loop that stopped reporting counts as down.
    return up
        && lastSuccess.isAfter(
            Instant.now().minus(config.dbInterval().multipliedBy(4).plus(config.dbTimeout())));
  }

  public Instant lastSuccess() {
    return lastSuccess;
  }

  public String lastError() {
    return lastError;
  }

  private void check() {
    if (!running.compareAndSet(false, true)) {
      return;
    }
    PgConnection current = connection;
    (current != null
            ? io.smallrye.mutiny.Uni.createFrom().item(current)
            : PgConnection.connect(vertx, options).invoke(c -> connection = c))
        .chain(c -> c.query("select 1").execute())
        .ifNoItem()
        .after(config.dbTimeout())
        .fail()
        .subscribe()
        .with(
            rows -> {
              if (!up) {
                LOG.info("PostgreSQL is reachable");
              }
              up = true;
              lastSuccess = Instant.now();
              lastError = null;
              running.set(false);
            },
            failure -> {
              if (up) {
                LOG.warnf("PostgreSQL is unreachable: %s", failure.getMessage());
              }
              up = false;
              lastError = failure.getClass().getSimpleName();
              PgConnection broken = connection;
              connection = null;
              if (broken != null) {
                broken.closeAndForget();
              }
              running.set(false);
            });
  }
}
