package io.campus.platform.cache;

import io.campus.platform.ops.EventLoopLag;
import io.campus.platform.ops.UnitTimeout;
import io.quarkus.runtime.Startup;
import io.smallrye.faulttolerance.api.TypedGuard;
import io.smallrye.mutiny.TimeoutException;
import io.smallrye.mutiny.Uni;
import io.vertx.core.net.NetClientOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import io.vertx.redis.client.RedisClientType;
import io.vertx.redis.client.RedisOptions;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.util.TypeLiteral;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * Every Redis call of the cache goes through here: a short timeout ({@code
 * campus.cache.redis-timeout}, {@code redis-batch-timeout}), a circuit breaker, and a fallback that
 * reports Redis as unavailable instead of failing, so callers go to the database. Once the breaker
 * is open a call costs no network time at all. Calls travel on the {@link RedisPipeline}'s
 * connections, many at once on each. A call made on an event loop leaves within its caller's task
 * and is answered on its caller's context, with no task of its own in between: annotated, fault
 * tolerance started each call in a task of its own and handed the reply over in another, two passes
 * of a loop that, under load, serves hundreds of connections per pass.
 *
 * <p>A call that times out while our own event loops are saturated ({@link EventLoopLag}) waited
 * behind our work, not on Redis: it is answered as unavailable for this call only and counted as
 * {@code campus.cache.redis.busy}, never against the breaker. Otherwise a load spike would open the
 * breaker, send every L1 miss to the database pool and turn our overload into 503s.
 */
@ApplicationScoped
// Its breakers exist from start-up: readiness, the breaker gauge and operators ask for them by
// name.
@Startup
public class RedisL2 implements TagVersions.Commands {

  static final String BREAKER = "campus-redis";
  static final String BATCH_BREAKER = "campus-redis-batch";
  private static final int CONNECT_TIMEOUT_MS = 2000;

  private final RedisPipeline pipeline;
  private final CacheConfig config;
  private final CacheMetrics metrics;
  private final Vertx vertx;
  private final EventLoopLag loops;
  private final DataClientOptions dataClient;
  private final io.campus.platform.ops.BackendTls tls;
  private final TypedGuard<Uni<RedisReply>> sends;
  private final TypedGuard<Uni<List<Response>>> batches;
  private volatile Redis subscriber;

  public RedisL2(
      RedisPipeline pipeline,
      CacheConfig config,
      CacheMetrics metrics,
      Vertx vertx,
      EventLoopLag loops,
      DataClientOptions dataClient,
      io.campus.platform.ops.BackendTls tls) {
    this.pipeline = pipeline;
    this.config = config;
    this.metrics = metrics;
    this.vertx = vertx;
    this.loops = loops;
    this.dataClient = dataClient;
    this.tls = tls;
    this.sends =
        guard(new TypeLiteral<Uni<RedisReply>>() {}, "send", BREAKER, RedisReply.UNAVAILABLE);
    this.batches = guard(new TypeLiteral<Uni<List<Response>>>() {}, "batch", BATCH_BREAKER, null);
  }

  @Override
  public Uni<RedisReply> send(Request request) {
    if (!config.redisEnabled()) {
      return Uni.createFrom().item(RedisReply.UNAVAILABLE);
    }
    return sends.get(
        () ->
            UnitTimeout.within(
                    pipeline.send(request).map(response -> new RedisReply(true, response)),
                    config.redisTimeout(),
                    TimeoutException::new)
                .onFailure(TimeoutException.class)
                .recoverWithUni(() -> timedOut(RedisReply.UNAVAILABLE)));
  }

  /** Several commands in one round trip (pipelined). */
  @Override
  public Uni<List<Response>> batch(List<Request> requests) {
    if (!config.redisEnabled() || requests.isEmpty()) {
      return Uni.createFrom().nullItem();
    }
    return batches.get(
        () ->
            UnitTimeout.within(
                    pipeline.batch(requests), config.redisBatchTimeout(), TimeoutException::new)
                .onFailure(TimeoutException.class)
                .recoverWithUni(() -> timedOut(null)));
  }

  /** A timeout counts against Redis only when our event loops kept up. */
  private <T> Uni<T> timedOut(T busyAnswer) {
    if (loops.saturated()) {
      metrics.redisBusy();
      return Uni.createFrom().item(busyAnswer);
    }
    return Uni.createFrom().failure(new TimeoutException());
  }

  /** What a call that failed, or was refused by the open breaker, answers: Redis unavailable. */
  private <T> Uni<T> unavailable(T answer) {
    metrics.redisError();
    return Uni.createFrom().item(answer);
  }

  /**
   * A breaker and the fallback around calls of one kind, built by hand rather than by annotations
   * so that a call stays in its caller's task (see the class comment). The description is the
   * {@code method} tag of the {@code ft_*} metrics, as the annotations had it.
   */
  private <T> TypedGuard<Uni<T>> guard(
      TypeLiteral<Uni<T>> type, String method, String breaker, T unavailableAnswer) {
    TypedGuard<Uni<T>> guard =
        TypedGuard.create(type)
            .withDescription(RedisL2.class.getName() + "." + method)
            .withCircuitBreaker()
            .name(breaker)
            .requestVolumeThreshold(10)
            .failureRatio(0.5)
            .delay(2000, ChronoUnit.MILLIS)
            .successThreshold(2)
            .done()
            .withFallback()
            .handler(() -> unavailable(unavailableAnswer))
            .done()
            .withThreadOffload(true)
            .withThreadOffloadExecutor(Runnable::run)
            .build();
    // Builds the breaker now (unsubscribed, nothing runs): it is known by name from start-up.
    guard.get(() -> Uni.createFrom().nullItem());
    return guard;
  }

  /**
   * A client of its own for pub/sub subscriptions: a subscribed connection is held for the life of
   * the instance and must not be recycled by the request pool.
   */
  synchronized Redis subscriberClient() {
    if (subscriber == null) {
      subscriber =
          Redis.createClient(
              vertx, ownClientOptions("campus-invalidations", dataClient.get(), tls, 4));
    }
    return subscriber;
  }

  /**
   * Options of a client that holds its connections for the life of the instance (subscriptions,
   * {@link RedisPipeline}): those of the data client (password, client name, TCP and TLS settings
   * of {@code quarkus.redis.*}) on its first endpoint, with a pool of its own that never recycles
   * and a connect timeout of at most 2 s. The data client's options are copied, never changed.
   */
  static RedisOptions ownClientOptions(
      String name, RedisOptions data, io.campus.platform.ops.BackendTls tls, int connections) {
    String endpoint = data.getEndpoint();
    NetClientOptions net = new NetClientOptions(data.getNetClientOptions());
    net.setConnectTimeout(Math.min(net.getConnectTimeout(), CONNECT_TIMEOUT_MS));
    RedisOptions options =
        new RedisOptions(data)
            .setType(RedisClientType.STANDALONE)
            .setEndpoints(new ArrayList<>(List.of(endpoint)))
            .setNetClientOptions(net)
            // Its own name in the client and pool metrics, beside the data client's.
            .setMetricsName(name)
            .setPoolName(name)
            .setMaxPoolSize(connections)
            .setMaxPoolWaiting(4 * connections)
            .setPoolRecycleTimeout(-1);
    tls.redis(List.of(endpoint), net);
    return options;
  }

  @PreDestroy
  synchronized void close() {
    if (subscriber != null) {
      subscriber.close();
    }
  }
}
