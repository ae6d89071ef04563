package io.campus.platform.ops;

import io.campus.platform.common.ProblemException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import io.smallrye.faulttolerance.api.Guard;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.Cancellable;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.util.TypeLiteral;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Fault tolerance around database work. Reads and writes each have a named breaker ({@value
 * #READ_BREAKER}, {@value #WRITE_BREAKER}), so a dead database fails requests at once (503) and is
 * tried again by itself after the delay. Only reads — whole, idempotent units — are retried, and
 * only on connection-level failures (a statement the client could not send on a connection that had
 * just closed among them: {@link StatementNotSent}), with backoff and jitter; a write is never
 * repeated by us. Errors the client caused (ProblemException) and SQL errors (constraint violations
 * and the like) do not count against the database.
 *
 * <p>Overload of our own pool is not a database failure either. At most pool size + {@code
 * campus.ops.db.max-wait-queue-size} units run or wait in the pool at once (for a {@link Pipelined}
 * client: its connections x {@code campus.ops.db.pipelining-limit} + the same queue, each client in
 * a {@link Lane} of its own); the rest wait in that lane's {@link Admission} queue, up to {@code
 * campus.ops.db.max-queued} units for at most {@code campus.ops.db.max-wait} each, and are refused
 * with a 503 and Retry-After beyond that. A wait-queue rejection by the pool itself (work outside
 * this guard filled it) is answered the same way. All are {@link ProblemException}s, so none is
 * retried nor counted by a breaker: a burst must not open the breakers and turn into seconds of
 * 503s for everyone while PostgreSQL idles.
 *
 * <p>Applied by declaration, not by hand: every repository method and every Panache session or
 * transaction boundary carries {@link DbRead} or {@link DbWrite}, whose interceptor ({@link
 * DbUnitInterceptor}) calls {@link #read} or {@link #write}; RepositoryResilienceTest fails on a
 * method without one and on code outside {@code ops} calling this guard itself.
 */
@ApplicationScoped
@Startup
public class DbGuard {

  public static final String READ_BREAKER = "campus-db-read";
  public static final String WRITE_BREAKER = "campus-db-write";

  /** Longest a unit may take, its turn in the admission queue included. */
  static final Duration TIMEOUT = Duration.ofSeconds(4);

  /**
   * Where a unit waits for its turn: the pool's connections, or one of the {@link Pipelined}
   * clients'. Each lane admits as many units as its connections take at once plus their wait queue,
   * so a pipelined statement never queues behind pool units that a busy pool holds up.
   */
  public enum Lane {
    POOL,
    PIPELINED_READS,
    PIPELINED_WRITES
  }

  private static final TypeLiteral<Uni<Object>> UNI = new TypeLiteral<>() {};

  private final Map<Lane, Admission> lanes = new EnumMap<>(Lane.class);
  private final Guard reads;
  private final Guard writes;
  private final Counter refusedQueueFull;
  private final Counter refusedWaitedTooLong;
  private final Counter refusedByPool;

  public DbGuard(
      OpsConfig config,
      @ConfigProperty(name = "quarkus.datasource.reactive.max-size", defaultValue = "20")
          int poolSize,
      MeterRegistry registry) {
    OpsConfig.Db db = config.db();
    // The description is the metrics' method tag (DbGuard.read / DbGuard.write). "Offloading" to
    // a caller-runs executor keeps the unit in the caller's task: no event-loop executor is used.
    this.reads =
        breaker(Guard.create().withDescription(DbGuard.class.getName() + ".read"), READ_BREAKER)
            .done()
            .withRetry()
            .maxRetries(2)
            .delay(50, ChronoUnit.MILLIS)
            .jitter(40, ChronoUnit.MILLIS)
            .retryOn(List.of(java.net.ConnectException.class, io.vertx.core.VertxException.class))
            .abortOn(List.of(ProblemException.class, PgException.class))
            .done()
            .withThreadOffload(true)
            .withThreadOffloadExecutor(Runnable::run)
            .build();
    this.writes =
        breaker(Guard.create().withDescription(DbGuard.class.getName() + ".write"), WRITE_BREAKER)
            .done()
            .withThreadOffload(true)
            .withThreadOffloadExecutor(Runnable::run)
            .build();
    // Builds both breakers now (unsubscribed, nothing runs): they are known by name from start-up
    // to readiness, the ft_* gauges and operators, not from the first unit on.
    reads.get(Uni.createFrom()::nullItem, UNI);
    writes.get(Uni.createFrom()::nullItem, UNI);
    int pipelined = db.pipeliningLimit();
    lanes.put(Lane.POOL, admission(db, poolSize));
    lanes.put(Lane.PIPELINED_READS, admission(db, db.readConnections() * pipelined));
    lanes.put(Lane.PIPELINED_WRITES, admission(db, db.writeConnections() * pipelined));
    this.refusedQueueFull =
        Counter.builder("campus.db.overload.rejections")
            .description("Database work refused because the pool and its wait queue were full")
            .tag("by", "guard")
            .register(registry);
    this.refusedWaitedTooLong =
        Counter.builder("campus.db.overload.rejections")
            .description(
                "Database work refused because it waited longer than campus.ops.db.max-wait")
            .tag("by", "wait")
            .register(registry);
    lanes.forEach(
        (lane, admission) ->
            Gauge.builder("campus.db.admission.queued", admission, Admission::queued)
                .description("Database units waiting for a turn in the guard's queue")
                .tag("lane", lane.name().toLowerCase(java.util.Locale.ROOT))
                .register(registry));
    this.refusedByPool =
        Counter.builder("campus.db.overload.rejections")
            .description("Database work refused because the pool and its wait queue were full")
            .tag("by", "pool")
            .register(registry);
  }

  public <T> Uni<T> read(Lane lane, Supplier<Uni<T>> work) {
    return guarded(reads, lane, work);
  }

  public <T> Uni<T> write(Lane lane, Supplier<Uni<T>> work) {
    return guarded(writes, lane, work);
  }

  /**
   * Runs the unit through a breaker (and for reads, retries) without leaving the caller's task:
   * annotated, SmallRye Fault Tolerance starts every unit called on an event loop in a task of its
   * own and hands its answer over in another, and under load each such task waits behind all the
   * input the loop has yet to read. Each attempt still runs on the caller's context, also a retry
   * that the backoff's timer starts on another thread: the unit's session and the request's answer
   * belong there.
   */
  @SuppressWarnings("unchecked")
  private <T> Uni<T> guarded(Guard guard, Lane lane, Supplier<Uni<T>> work) {
    return Uni.createFrom()
        .deferred(
            () -> {
              Context origin = Vertx.currentContext();
              Supplier<Uni<Object>> attempt =
                  () -> (Uni<Object>) onContext(origin, () -> admitted(lane, work));
              // After a retry the answer may come on the backoff timer's thread: when the attempt
              // ends before that thread has hooked onto it, the rest of the chain runs there.
              return CallerContext.answerOn(origin, (Uni<T>) guard.get(attempt, UNI));
            });
  }

  private static <T> Uni<T> onContext(Context origin, Supplier<Uni<T>> attempt) {
    if (origin == null || Vertx.currentContext() == origin) {
      return attempt.get();
    }
    return Uni.createFrom()
        .emitter(
            emitter ->
                origin.runOnContext(
                    ignored -> {
                      Cancellable running =
                          attempt.get().subscribe().with(emitter::complete, emitter::fail);
                      emitter.onTermination(running::cancel);
                    }));
  }

  private static Guard.Builder.CircuitBreakerBuilder breaker(Guard.Builder builder, String name) {
    return builder
        .withCircuitBreaker()
        .name(name)
        .requestVolumeThreshold(20)
        .failureRatio(0.5)
        .delay(2000, ChronoUnit.MILLIS)
        .successThreshold(2)
        .skipOn(List.of(ProblemException.class, PgException.class));
  }

  /** Units running or waiting for a connection right now, including those queued here. */
  public int inFlight() {
    int units = 0;
    for (Admission admission : lanes.values()) {
      units += admission.running() + admission.queued();
    }
    return units;
  }

  /** A lane runs as many units as its connections take at once; its clients' queues hold more. */
  private static Admission admission(OpsConfig.Db db, int atOnce) {
    return new Admission(
        atOnce + db.maxWaitQueueSize(), db.maxQueued(), db.maxWait().toNanos(), System::nanoTime);
  }

  private <T> Uni<T> admitted(Lane lane, Supplier<Uni<T>> work) {
    return UnitTimeout.within(lanes.get(lane).submit(work), TIMEOUT)
        .onFailure()
        .transform(StatementNotSent::classify)
        .onFailure(Admission.Refused.class)
        .transform(
            failure -> {
              (((Admission.Refused) failure).reason == Admission.Refusal.QUEUE_FULL
                      ? refusedQueueFull
                      : refusedWaitedTooLong)
                  .increment();
              return overloaded();
            })
        .onFailure(DbGuard::poolRejection)
        .transform(
            failure -> {
              refusedByPool.increment();
              return overloaded();
            });
  }

  /** The pool's wait queue was full (Vert.x reports it as ConnectionPoolTooBusyException). */
  static boolean poolRejection(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof io.vertx.core.http.ConnectionPoolTooBusyException) {
        return true;
      }
    }
    return false;
  }

  static ProblemException overloaded() {
    return new ProblemException(
        503,
        "Service Unavailable",
        "The service is overloaded or its database is unreachable; retry shortly.",
        null,
        1);
  }
}
