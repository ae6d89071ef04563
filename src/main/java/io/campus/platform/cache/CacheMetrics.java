package io.campus.platform.cache;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import io.smallrye.faulttolerance.api.CircuitBreakerState;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Cache meters: {@code campus.cache.gets} (tags cache, layer l1|l2, result hit|miss), {@code
 * campus.cache.loads} (database loads, a timer per cache), {@code campus.cache.evictions} (cache,
 * origin local|remote), {@code campus.cache.redis.errors}, {@code campus.cache.redis.busy} (calls
 * that timed out behind our own saturated event loops), {@code campus.cache.resubscribes} and
 * {@code campus.cache.redis.breaker.open} (1 while the Redis breaker is open).
 */
@ApplicationScoped
public class CacheMetrics {

  private final MeterRegistry registry;
  private final ConcurrentMap<String, Counter> counters = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, Timer> timers = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, Counter[]> gets = new ConcurrentHashMap<>();
  private final Counter redisErrors;
  private final Counter redisBusy;
  private final Counter resubscribes;

  public CacheMetrics(MeterRegistry registry, CircuitBreakerMaintenance breakers) {
    this.registry = registry;
    this.redisErrors = registry.counter("campus.cache.redis.errors");
    this.redisBusy = registry.counter("campus.cache.redis.busy");
    this.resubscribes = registry.counter("campus.cache.resubscribes");
    registry.gauge(
        "campus.cache.redis.breaker.open",
        breakers,
        b -> b.currentState(RedisL2.BREAKER) == CircuitBreakerState.OPEN ? 1 : 0);
  }

  void hit(String cache, String layer) {
    gets(cache)[slot(layer, true)].increment();
  }

  void miss(String cache, String layer) {
    gets(cache)[slot(layer, false)].increment();
  }

  /** A value past its TTL served because loading a fresh one failed (stale-if-error). */
  void staleServed(String cache) {
    staleCounter(cache).increment();
  }

  /** The stale-if-error counter of a cache; created at start so it is scraped as 0 until used. */
  Counter staleCounter(String cache) {
    return counters.computeIfAbsent(
        "s|" + cache,
        k -> Counter.builder("campus.cache.stale.served").tag("cache", cache).register(registry));
  }

  void eviction(String cache, String origin) {
    counters
        .computeIfAbsent(
            "e|" + cache + "|" + origin,
            k ->
                Counter.builder("campus.cache.evictions")
                    .tag("cache", cache)
                    .tag("origin", origin)
                    .register(registry))
        .increment();
  }

  Timer loadTimer(String cache) {
    return timers.computeIfAbsent(
        cache, k -> Timer.builder("campus.cache.loads").tag("cache", cache).register(registry));
  }

  void redisError() {
    redisErrors.increment();
  }

  void redisBusy() {
    redisBusy.increment();
  }

  void resubscribed() {
    resubscribes.increment();
  }

  private static int slot(String layer, boolean hit) {
    return ("l1".equals(layer) ? 0 : 2) + (hit ? 0 : 1);
  }

  /**
   * The get counters of a cache by {@link #slot}, looked up by the cache's name alone: a hit is
   * counted on every cached response, so it must not build a key string each time.
   */
  private Counter[] gets(String cache) {
    return gets.computeIfAbsent(
        cache,
        c ->
            new Counter[] {
              getCounter(c, "l1", "hit"),
              getCounter(c, "l1", "miss"),
              getCounter(c, "l2", "hit"),
              getCounter(c, "l2", "miss")
            });
  }

  private Counter getCounter(String cache, String layer, String result) {
    return Counter.builder("campus.cache.gets")
        .tag("cache", cache)
        .tag("layer", layer)
        .tag("result", result)
        .register(registry);
  }
}
