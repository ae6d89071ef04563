package io.campus.platform.cache;

import io.campus.platform.common.ProblemException;
import io.micrometer.core.instrument.Timer;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * What {@link TwoLevelCache} does below L1 on a miss: read Redis (L2, through {@link RedisL2}), and
 * if the value is not there take a short cross-instance lock (SET NX PX) so one instance loads
 * while the others poll for its value, then load themselves. Loads fill both layers; a failed load
 * serves the last value seen where the cache keeps one (stale-if-error). Without Redis it loads
 * straight away and writes nothing to L2.
 */
final class RedisLayer {

  // The cache's own category: these messages have always been logged as the cache's.
  private static final Logger LOG = Logger.getLogger(TwoLevelCache.class);

  private final RedisL2 redis;
  private final CacheConfig config;
  private final CacheCodec codec;
  private final CacheMetrics metrics;
  private final CacheTtl ttl;
  private final LocalLayer local;
  private final TagVersions tags;
  private final String instanceId;

  RedisLayer(
      RedisL2 redis,
      CacheConfig config,
      CacheCodec codec,
      CacheMetrics metrics,
      CacheTtl ttl,
      LocalLayer local,
      TagVersions tags,
      String instanceId) {
    this.redis = redis;
    this.config = config;
    this.codec = codec;
    this.metrics = metrics;
    this.ttl = ttl;
    this.local = local;
    this.tags = tags;
    this.instanceId = instanceId;
  }

  /** The Redis key of an entry: its cache's generation is part of it. */
  String key(String cacheName, long generation, String key) {
    return config.keyPrefix() + "c:" + cacheName + "@" + generation + ":" + key;
  }

  /** The value of a full key ({@code cache:key}) from L2, else loaded; never null. */
  Uni<Object> read(CacheSpec<?> spec, String full, Supplier<? extends Uni<?>> loader) {
    String name = spec.name();
    String key = full.substring(name.length() + 1);
    return tags.generation(name).chain(gen -> fromRedis(spec, full, key(name, gen, key), loader));
  }

  private Uni<Object> fromRedis(
      CacheSpec<?> spec, String full, String redisKey, Supplier<? extends Uni<?>> loader) {
    return redis
        .send(Request.cmd(Command.GET).arg(redisKey))
        .chain(
            reply -> {
              Object decoded = decoded(spec, full, redisKey, reply);
              if (decoded != null) {
                return found(spec, full, decoded);
              }
              metrics.miss(spec.name(), "l2");
              if (!reply.available()) {
                return load(spec, full, redisKey, loader, false);
              }
              return underLock(spec, full, redisKey, loader);
            });
  }

  /** Loads under the cross-instance lock, or waits for the instance that holds it. */
  private Uni<Object> underLock(
      CacheSpec<?> spec, String full, String redisKey, Supplier<? extends Uni<?>> loader) {
    String lockKey = config.keyPrefix() + "lock:" + redisKey;
    return redis
        .send(
            Request.cmd(Command.SET)
                .arg(lockKey)
                .arg(instanceId)
                .arg("NX")
                .arg("PX")
                .arg(config.lockTtl().toMillis()))
        .chain(
            lock -> {
              if (!lock.available()) {
                return load(spec, full, redisKey, loader, false);
              }
              if (!lock.isNull()) {
                return load(spec, full, redisKey, loader, true)
                    .call(() -> redis.send(Request.cmd(Command.DEL).arg(lockKey)));
              }
              return awaitOther(spec, full, redisKey, loader, config.lockPolls());
            });
  }

  /** Another instance holds the load lock: look for its value a few times, then load anyway. */
  private Uni<Object> awaitOther(
      CacheSpec<?> spec,
      String full,
      String redisKey,
      Supplier<? extends Uni<?>> loader,
      int remaining) {
    if (remaining <= 0) {
      return load(spec, full, redisKey, loader, true);
    }
    return Uni.createFrom()
        .voidItem()
        .onItem()
        .delayIt()
        .by(config.lockPollInterval())
        .chain(() -> redis.send(Request.cmd(Command.GET).arg(redisKey)))
        .chain(
            reply -> {
              Object decoded = decoded(spec, full, redisKey, reply);
              if (decoded != null) {
                return found(spec, full, decoded);
              }
              if (!reply.available()) {
                return load(spec, full, redisKey, loader, false);
              }
              return awaitOther(spec, full, redisKey, loader, remaining - 1);
            });
  }

  private Uni<Object> found(CacheSpec<?> spec, String full, Object decoded) {
    metrics.hit(spec.name(), "l2");
    local.put(spec.name(), full, decoded);
    return Uni.createFrom().item(decoded);
  }

  private Uni<Object> load(
      CacheSpec<?> spec,
      String full,
      String redisKey,
      Supplier<? extends Uni<?>> loader,
      boolean writeL2) {
    Timer.Sample sample = Timer.start();
    long startedAt = System.currentTimeMillis();
    return loader
        .get()
        .map(value -> value == null ? CacheCodec.ABSENT : (Object) value)
        .call(
            value -> {
              sample.stop(metrics.loadTimer(spec.name()));
              // Evicted while loading: the value may have been read before the change that evicted
              // it, so it answers this load but is kept in neither layer.
              if (local.evictedAt(spec.name(), full) >= startedAt) {
                return Uni.createFrom().voidItem();
              }
              local.put(spec.name(), full, value);
              if (!writeL2) {
                return Uni.createFrom().voidItem();
              }
              long life = ttl.l2Millis(spec.name(), value);
              return redis.send(
                  Request.cmd(Command.SET)
                      .arg(redisKey)
                      .arg(codec.encode(spec, redisKey, value, startedAt, life))
                      .arg("PX")
                      .arg(life));
            })
        .onFailure(RedisLayer::isOutage)
        .recoverWithUni(failure -> staleOr(spec.name(), full, failure));
  }

  private Uni<Object> staleOr(String cacheName, String full, Throwable failure) {
    Object previous = local.staleValue(cacheName, full);
    if (previous == null) {
      return Uni.createFrom().failure(failure);
    }
    metrics.staleServed(cacheName);
    LOG.debugf("Serving a stale %s after a failed load: %s", full, failure);
    return Uni.createFrom().item(previous);
  }

  /** Failures a stale value may stand in for: anything but an answer about the request itself. */
  private static boolean isOutage(Throwable failure) {
    return !(failure instanceof ProblemException problem) || problem.status() >= 500;
  }

  private Object decoded(CacheSpec<?> spec, String full, String redisKey, RedisReply reply) {
    if (!reply.available() || reply.isNull()) {
      return null;
    }
    return codec.decode(
        spec, redisKey, reply.response().toBytes(), local.evictedAt(spec.name(), full));
  }
}
