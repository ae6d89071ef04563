package io.campus.cache;

import io.smallrye.faulttolerance.api.CircuitBreakerName;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import io.vertx.redis.client.RedisOptions;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Fallback;
import org.eclipse.microprofile.faulttolerance.Timeout;

/**
 * Every Redis call of the cache goes through here: a short timeout, a circuit breaker, and a
 * fallback that reports Redis as unavailable instead of failing, so callers go to the database.
 * Once the breaker is open a call costs no network time at all. Timeouts can be tuned with {@code
 * io.campus.cache.RedisL2/send/Timeout/value} (milliseconds), likewise for {@code batch}.
 */
@ApplicationScoped
public class RedisL2 {

  static final String BREAKER = "campus-redis";
  static final String BATCH_BREAKER = "campus-redis-batch";

  private final Redis redis;
  private final CacheConfig config;
  private final CacheMetrics metrics;
  private final Vertx vertx;
  private final String hosts;
  private volatile Redis subscriber;

  public RedisL2(
      Redis redis,
      CacheConfig config,
      CacheMetrics metrics,
      Vertx vertx,
      @ConfigProperty(name = "quarkus.redis.hosts") String hosts) {
    this.redis = redis;
    this.config = config;
    this.metrics = metrics;
    this.vertx = vertx;
    this.hosts = hosts;
  }

  @Timeout(50)
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
    return redis.send(request).map(response -> new RedisReply(true, response));
  }

  /** Several commands in one round trip (pipelined). */
  @Timeout(100)
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
    return redis.batch(requests);
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
              vertx,
              new RedisOptions()
                  .setConnectionString(hosts.split(",")[0].trim())
                  .setMaxPoolSize(4)
                  .setMaxPoolWaiting(16)
                  .setPoolRecycleTimeout(-1));
    }
    return subscriber;
  }

  @PreDestroy
  synchronized void close() {
    if (subscriber != null) {
      subscriber.close();
    }
  }
}
