package io.campus.platform.ops;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Operability settings: database limits, probes and rate limits. */
@ConfigMapping(prefix = "campus.ops")
public interface OpsConfig {

  Db db();

  Probes probes();

  RateLimit rateLimit();

  Log log();

  Http http();

  interface Http {
    /**
     * API reads (GET and HEAD without a body) inside one instance at once, answered or not; one
     * more is refused at once with a 503 (see {@link LoadShedding}). Above the connections a
     * closed-loop client of one instance keeps busy at capacity, below what the instance can finish
     * within a client's patience.
     */
    @WithDefault("2000")
    int maxInFlight();
  }

  interface Db {
    /**
     * Units that may wait in the pool's own queue; beyond pool size + this, units wait in the
     * guard's queue instead (bounded by {@link #maxQueued()} and {@link #maxWait()}).
     */
    @WithDefault("200")
    int maxWaitQueueSize();

    /** Units that may wait in the guard's queue at once; a unit beyond this gets a fast 503. */
    @WithDefault("10000")
    int maxQueued();

    /**
     * Longest a unit may wait in the guard's queue; one that waited longer is refused (503) when
     * its turn comes instead of running for a client that has been kept waiting too long.
     */
    @WithDefault("PT0.5S")
    Duration maxWait();

    @WithDefault("PT2S")
    Duration connectTimeout();

    /** Server-side limit on every statement (PostgreSQL statement_timeout). */
    @WithDefault("PT5S")
    Duration statementTimeout();

    /**
     * Connections of the pipelined client for the hottest single-statement reads, on top of the
     * pool (count them in the connection budget). A statement goes to a connection on its caller's
     * event loop while that one has fewer than {@link #pipeliningLimit()} in flight, so one per
     * event loop is what serves: more only take the overflow.
     */
    @WithDefault("2")
    int readConnections();

    /**
     * Connections of the pipelined client for the hottest single-statement writes (lesson
     * completion, enrollment, assessments), on top of the pool (count them in the connection
     * budget). Chosen like the reads' connections: one per event loop serves.
     */
    @WithDefault("2")
    int writeConnections();

    /** Statements one pipelined connection may have in flight at once. */
    @WithDefault("256")
    int pipeliningLimit();

    /**
     * PostgreSQL's {@code plan_cache_mode} on the pipelined clients' sessions ({@code auto}, {@code
     * force_generic_plan} or {@code force_custom_plan}). Their statements are index reads and
     * single-row writes, prepared once per connection; under {@code auto} the server went on
     * planning the enrollment list anew on a quarter of its executions (0.2 ms each, twenty times
     * its execution), which halved what the pipelined reads could serve.
     */
    @WithDefault("force_generic_plan")
    String pipelinedPlanCacheMode();

    /** Statements slower than this are logged (shape only, no parameters) and counted. */
    @WithDefault("PT0.2S")
    Duration slowStatementThreshold();

    /**
     * Name of the Quarkus TLS configuration ({@code quarkus.tls.<name>.trust-store.pem.certs}) that
     * every PostgreSQL client verifies the server with ({@code sslmode=verify-full}); unset, TLS to
     * PostgreSQL is refused (see {@link BackendTls}).
     */
    java.util.Optional<String> tlsConfigurationName();
  }

  interface Probes {
    /** How often the database probe runs; readiness reads its last result. */
    @WithDefault("PT0.5S")
    Duration dbInterval();

    @WithDefault("PT1S")
    Duration dbTimeout();

    /** Liveness fails when the event loop has not run a timer for this long. */
    @WithDefault("PT10S")
    Duration eventLoopStall();

    /**
     * An event loop running its timers this late is saturated: a Redis call timing out meanwhile
     * waited behind our own work and does not count against Redis.
     */
    @WithDefault("PT0.02S")
    Duration eventLoopLagThreshold();
  }

  interface RateLimit {
    @WithDefault("true")
    boolean enabled();

    /**
     * Addresses or CIDRs of the proxies in front of the service (the load balancer's subnets). Only
     * for a peer in this list is X-Forwarded-For read at all; unset, the peer is the client.
     */
    Optional<List<String>> trustedProxies();

    /**
     * Trusted proxies in a row in front of the service: the client is this many entries from the
     * right of X-Forwarded-For (1: only the load balancer, which appends its own peer).
     */
    @WithDefault("1")
    int proxyHops();

    /** Login and registration, per client address. */
    Bucket auth();

    /** POST/PUT/DELETE on the API, per bearer token (or address when anonymous). */
    Bucket writes();

    /** Course search (GET /api/courses/search), per user, or per address when anonymous. */
    Bucket search();

    interface Bucket {
      int capacity();

      double refillPerSecond();
    }
  }

  /**
   * Bounds on repeated warnings and errors, read by {@link LogDeduplication} (a log filter, built
   * before CDI, so it reads the same keys itself; keep the defaults in step).
   */
  interface Log {
    @WithDefault("PT10S")
    Duration dedupWindow();

    /** Copies of one message written per window. */
    @WithDefault("5")
    int dedupPerKey();

    /** Warnings and errors written per window, all messages together. */
    @WithDefault("200")
    int dedupTotal();
  }
}
