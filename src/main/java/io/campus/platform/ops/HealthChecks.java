package io.campus.platform.ops;

import io.campus.platform.cache.TwoLevelCache;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;
import org.eclipse.microprofile.health.Startup;

/**
 * The three probes. Each answers from state kept up to date in the background, so a probe costs
 * microseconds and never touches PostgreSQL or Redis itself.
 */
@ApplicationScoped
public class HealthChecks {

  private final DatabaseProbe database;
  private final MigrationState migrations;
  private final EventLoopHeartbeat heartbeat;
  private final TwoLevelCache cache;
  private final CircuitBreakerMaintenance breakers;
  private final MeterRegistry registry;
  private final OpsConfig.Probes probes;
  private final String version;
  private final Instant startedAt = Instant.now();
  private volatile boolean started;
  private volatile boolean draining;

  public HealthChecks(
      DatabaseProbe database,
      MigrationState migrations,
      EventLoopHeartbeat heartbeat,
      TwoLevelCache cache,
      CircuitBreakerMaintenance breakers,
      MeterRegistry registry,
      OpsConfig config,
      @ConfigProperty(name = "quarkus.application.version", defaultValue = "dev") String version) {
    this.database = database;
    this.migrations = migrations;
    this.heartbeat = heartbeat;
    this.cache = cache;
    this.breakers = breakers;
    this.registry = registry;
    this.probes = config.probes();
    this.version = version;
  }

  void onStart(@Observes StartupEvent event) {
    started = true;
  }

  /** Shutdown began: report not ready so the load balancer stops sending traffic. */
  void onShutdownDelay(@Observes ShutdownDelayInitiatedEvent event) {
    draining = true;
  }

  public void drain() {
    draining = true;
  }

  @Liveness
  public AsyncHealthCheck live() {
    return () -> {
      long stalled = heartbeat.millisSinceLastBeat();
      return Uni.createFrom()
          .item(
              HealthCheckResponse.named("event-loop")
                  .status(stalled < probes.eventLoopStall().toMillis())
                  .withData("millisSinceLastTick", stalled)
                  .build());
    };
  }

  @Readiness
  public AsyncHealthCheck ready() {
    return () -> {
      boolean db = database.up();
      boolean schema = migrations.applied();
      HealthCheckResponseBuilder response =
          HealthCheckResponse.named("campus")
              .status(db && schema && !draining)
              .withData("database", db ? "up" : "down: " + database.lastError())
              .withData("databaseLastSuccess", database.lastSuccess().toString())
              .withData("migrations", schema ? "applied (" + migrations.version() + ")" : "pending")
              // Redis is an optimisation: reported, never failing readiness.
              .withData("redis", cache.subscribed() ? "up" : "degraded: serving without Redis")
              .withData("redisBreaker", state(breakers, "campus-redis"))
              .withData(
                  "dbBreakers",
                  state(breakers, DbGuard.READ_BREAKER)
                      + "/"
                      + state(breakers, DbGuard.WRITE_BREAKER))
              // over every SQL pool (the doctor's pool section has each one)
              .withData("dbPoolActive", SqlPools.total(registry, "sql.pool.active"))
              .withData("dbPoolWaiting", SqlPools.total(registry, "sql.pool.queue.size"))
              .withData("draining", draining)
              .withData("uptime", Duration.between(startedAt, Instant.now()).toString())
              .withData("version", version);
      return Uni.createFrom().item(response.build());
    };
  }

  private static String state(CircuitBreakerMaintenance breakers, String name) {
    return breakers.currentState(name).name().toLowerCase(Locale.ROOT);
  }

  @Startup
  public AsyncHealthCheck startup() {
    return () ->
        Uni.createFrom().item(HealthCheckResponse.named("started").status(started).build());
  }
}
