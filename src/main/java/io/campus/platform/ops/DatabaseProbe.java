package io.campus.platform.ops;

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

  /** The TimeZone of every session Campus opens: SQL's days are UTC days. */
  static final String SESSION_TIME_ZONE = "UTC";

  private final Vertx vertx;
  private final OpsConfig.Probes config;
  private final PgConnectOptions options;
  private final AtomicBoolean running = new AtomicBoolean();
  private volatile PgConnection connection;
  private volatile boolean up;
  private volatile Instant lastSuccess = Instant.EPOCH;
  private volatile String lastError = "not checked yet";
  private volatile long timerId = -1;
  private volatile boolean checkedOnce;

  public DatabaseProbe(
      Vertx vertx,
      OpsConfig config,
      @ConfigProperty(name = "quarkus.datasource.reactive.url") List<String> urls,
      @ConfigProperty(name = "quarkus.datasource.username") String user,
      @ConfigProperty(name = "quarkus.datasource.password") java.util.Optional<String> password,
      BackendTls tls) {
    this.vertx = vertx;
    this.config = config.probes();
    this.options = connectOptions(urls.get(0), user, password, this.config.dbTimeout(), tls);
  }

  /**
   * The probe's own connection settings: the pool's URL and credentials, and the same TLS as the
   * pool ({@link BackendTls}: the configured CA, {@code sslmode=verify-full}, host name checked),
   * so the probe verifies the server as the pool does and is refused where the pool would be.
   */
  static PgConnectOptions connectOptions(
      String url,
      String user,
      java.util.Optional<String> password,
      java.time.Duration timeout,
      BackendTls tls) {
    PgConnectOptions parsed = PgConnectOptions.fromUri(url);
    parsed.setUser(user);
    password.ifPresent(parsed::setPassword);
    parsed.setConnectTimeout((int) timeout.toMillis());
    parsed.addProperty("application_name", "campus-probe");
    // As on the pool's sessions (the read replica's options are built here too).
    parsed.addProperty("TimeZone", SESSION_TIME_ZONE);
    // Its own name in the client metrics, apart from the request pool's.
    parsed.setMetricsName("campus-probe");
    parsed.setTracingPolicy(io.vertx.core.tracing.TracingPolicy.IGNORE);
    return tls.postgres(parsed);
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

  /** The failure and its causes' messages (a TLS refusal's reason is in a cause). */
  static String describe(Throwable failure) {
    StringBuilder text = new StringBuilder(String.valueOf(failure));
    Throwable cause = failure.getCause();
    for (int i = 0; cause != null && cause != failure && i < 4; i++, cause = cause.getCause()) {
      text.append(" <- ").append(cause);
    }
    return text.toString();
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
              checkedOnce = true;
              lastSuccess = Instant.now();
              lastError = null;
              running.set(false);
            },
            failure -> {
              // Said once when it goes away, and once when it was never reachable (a refused
              // certificate, a wrong host) so the reason of a readiness that never comes is logged.
              if (up || !checkedOnce) {
                LOG.warnf("PostgreSQL is unreachable: %s", describe(failure));
              }
              checkedOnce = true;
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
