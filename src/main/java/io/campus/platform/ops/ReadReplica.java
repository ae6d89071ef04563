package io.campus.platform.ops;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.PoolOptions;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Reads that tolerate replication lag go to the read replica when one is configured ({@link
 * ReadReplicaConfig}) and fall back to the primary pool when it is not, or when the replica fails
 * or does not answer within its timeout: a replica outage costs latency, never an error. Only
 * idempotent single reads belong here (a fallback runs the work again on the primary).
 */
@ApplicationScoped
// Built at start-up, outside any request's Vert.x context (see Pipelined).
@Startup
public class ReadReplica {

  private static final Logger LOG = Logger.getLogger(ReadReplica.class);

  private final Pool primary;
  private final SqlClient replica;
  private final ReadReplicaConfig config;
  private final Counter fallbacks;
  private final AtomicLong lastLogged = new AtomicLong();

  public ReadReplica(
      Pool primary,
      ReadReplicaConfig config,
      OpsConfig ops,
      MeterRegistry registry,
      Vertx vertx,
      @ConfigProperty(name = "quarkus.datasource.username") String user,
      @ConfigProperty(name = "quarkus.datasource.password") Optional<String> password,
      BackendTls tls) {
    this.primary = primary;
    this.config = config;
    this.fallbacks =
        Counter.builder("campus.db.read.fallbacks")
            .description("Replica reads retried on the primary (replica failed or too slow)")
            .register(registry);
    Optional<String> url = config.url().filter(u -> !u.isBlank());
    if (url.isEmpty()) {
      this.replica = null;
      return;
    }
    // Same TLS trust as the primary pool and probe; a name and statement timeout of its own.
    PgConnectOptions options =
        DatabaseProbe.connectOptions(
            url.get(),
            config.username().filter(u -> !u.isBlank()).orElse(user),
            config.password().or(() -> password),
            ops.db().connectTimeout(),
            tls);
    options.addProperty("application_name", "campus-read");
    options.addProperty("statement_timeout", Long.toString(ops.db().statementTimeout().toMillis()));
    options.setMetricsName("campus-read");
    options.setTracingPolicy(io.vertx.core.tracing.TracingPolicy.ALWAYS);
    this.replica =
        SqlClient.newInstance(
            PgBuilder.pool()
                .with(
                    new PoolOptions()
                        .setMaxSize(config.maxSize())
                        .setMaxWaitQueueSize(ops.db().maxWaitQueueSize())
                        .setName("campus-read"))
                .connectingTo(options)
                .using(vertx.getDelegate())
                .build());
  }

  public boolean configured() {
    return replica != null;
  }

  /**
   * Runs a read on the replica, or on the primary when there is none or the replica fails or is too
   * slow. Failures that are answers ({@link io.campus.platform.common.ProblemException}) are not
   * retried.
   */
  public <T> Uni<T> read(Function<SqlClient, Uni<T>> work) {
    if (replica == null) {
      return work.apply(primary);
    }
    return Uni.createFrom()
        .deferred(() -> work.apply(replica))
        .ifNoItem()
        .after(config.timeout())
        .fail()
        .onFailure(failure -> !(failure instanceof io.campus.platform.common.ProblemException))
        .recoverWithUni(
            failure -> {
              fellBack(failure);
              return work.apply(primary);
            });
  }

  /** The doctor's view: which database the replica is, and how far behind (null on a primary). */
  public Uni<Map<String, Object>> status() {
    Map<String, Object> status = new LinkedHashMap<>();
    status.put("configured", configured());
    status.put("fallbacks", fallbacks.count());
    if (replica == null) {
      return Uni.createFrom().item(status);
    }
    return replica
        .query(
            """
            select current_database() as database, pg_is_in_recovery() as is_replica,
                   extract(epoch from now() - pg_last_xact_replay_timestamp())::float8 as lag_seconds
            """)
        .execute()
        .ifNoItem()
        .after(config.timeout())
        .fail()
        .map(
            rows -> {
              status.put("up", true);
              status.putAll(rows.iterator().next().toJson().getMap());
              return status;
            })
        .onFailure()
        .recoverWithItem(
            failure -> {
              status.put("up", false);
              status.put("error", String.valueOf(failure.getMessage()));
              return status;
            });
  }

  private void fellBack(Throwable failure) {
    fallbacks.increment();
    long now = System.nanoTime();
    long last = lastLogged.get();
    if ((last == 0 || now - last >= config.fallbackLogPeriod().toNanos())
        && lastLogged.compareAndSet(last, now)) {
      LOG.warnf(
          "Read replica failed (%s): reading from the primary (%d fallbacks so far; logged at most"
              + " once per %s)",
          failure.getClass().getSimpleName() + ": " + failure.getMessage(),
          (long) fallbacks.count(),
          config.fallbackLogPeriod());
    }
  }

  @PreDestroy
  void close() {
    if (replica != null) {
      replica.closeAndForget();
    }
  }
}
