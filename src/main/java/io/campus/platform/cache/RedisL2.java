package io.campus.platform.cache;

import io.campus.platform.ops.EventLoopLag;
import io.smallrye.faulttolerance.api.CircuitBreakerName;
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
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Fallback;

/**
 * Every Redis call of the cache goes through here: a short timeout ({@code
 * campus.cache.redis-timeout}, {@code redis-batch-timeout}), a circuit breaker, and a fallback that
 * reports Redis as unavailable instead of failing, so callers go to the database. Once the breaker
 * is open a call costs no network time at all. Calls travel on the {@link RedisPipeline}'s
 * connections, many at once on each.
 *
 * <p>A call that times out while our own event loops are saturated ({@link EventLoopLag}) waited
 * behind our work, not on Redis: it is answered as unavailable for this call only and counted as
 * {@code campus.cache.redis.busy}, never against the breaker. Otherwise a load spike would open the
 * breaker, send every L1 miss to the database pool and turn our overload into 503s.
 */
@ApplicationScoped
public class RedisL2 {

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
  }

  @CircuitBreaker(
      requestVolumeThreshold = 10,
      failureRatio = 0.5,
      delay = 2000,
      successThreshold = 2)
  @CircuitBreakerName(BREAKER)
  @Fallback(fallbackMethod = "sendUnavailable")
  public Uni<RedisReply> send(Request request) {
    if (!config.redisEnabled()) {
      return Uni.createFrom().item(RedisReply.UNAVAILABLE);
    }
    return pipeline
        .send(request)
        .map(response -> new RedisReply(true, response))
        .ifNoItem()
        .after(config.redisTimeout())
        .recoverWithUni(() -> timedOut(RedisReply.UNAVAILABLE));
  }

  /** Several commands in one round trip (pipelined). */
  @CircuitBreaker(
      requestVolumeThreshold = 10,
      failureRatio = 0.5,
      delay = 2000,
      successThreshold = 2)
  @CircuitBreakerName(BATCH_BREAKER)
  @Fallback(fallbackMethod = "batchUnavailable")
  public Uni<List<Response>> batch(List<Request> requests) {
    if (!config.redisEnabled() || requests.isEmpty()) {
      return Uni.createFrom().nullItem();
    }
    return pipeline
        .batch(requests)
        .ifNoItem()
        .after(config.redisBatchTimeout())
        .recoverWithUni(() -> timedOut(null));
  }

  /** A timeout counts against Redis only when our event loops kept up. */
  private <T> Uni<T> timedOut(T busyAnswer) {
    if (loops.saturated()) {
      metrics.redisBusy();
      return Uni.createFrom().item(busyAnswer);
    }
    return Uni.createFrom().failure(new TimeoutException());
  }

  Uni<RedisReply> sendUnavailable(Request request) {
    if (config.redisEnabled()) {
      metrics.redisError();
    }
    return Uni.createFrom().item(RedisReply.UNAVAILABLE);
  }

  Uni<List<Response>> batchUnavailable(List<Request> requests) {
    if (config.redisEnabled()) {
      metrics.redisError();
    }
    return Uni.createFrom().nullItem();
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
