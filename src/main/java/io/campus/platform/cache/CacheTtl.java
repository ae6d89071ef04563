package io.campus.platform.cache;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * TTLs of both layers: per cache (or the default), jittered so keys written together do not expire
 * together; a remembered miss lives {@code negative-ttl}; L1 never beyond {@code l1-max-ttl}.
 */
final class CacheTtl {

  private final CacheConfig config;

  CacheTtl(CacheConfig config) {
    this.config = config;
  }

  /** The life of an L1 entry: bounds how stale an instance that missed a message can be. */
  long l1Millis(String cacheName, Object value) {
    return value == CacheCodec.ABSENT
        ? Math.min(config.negativeTtl().toMillis(), config.l1MaxTtl().toMillis())
        : Math.min(jittered(ttlOf(cacheName)), config.l1MaxTtl().toMillis());
  }

  /** The life of a Redis (L2) entry. */
  long l2Millis(String cacheName, Object value) {
    return value == CacheCodec.ABSENT
        ? config.negativeTtl().toMillis()
        : jittered(ttlOf(cacheName));
  }

  /** The longest life any Redis entry can be written with. */
  long longestL2Millis() {
    long longest = config.defaultTtl().toMillis();
    for (CacheConfig.Named named : config.caches().values()) {
      longest = Math.max(longest, named.ttl().toMillis());
    }
    return Math.round(Math.max(longest, config.negativeTtl().toMillis()) * (1 + config.jitter()));
  }

  private Duration ttlOf(String cacheName) {
    CacheConfig.Named named = config.caches().get(cacheName);
    return named == null ? config.defaultTtl() : named.ttl();
  }

  private long jittered(Duration ttl) {
    double spread = (ThreadLocalRandom.current().nextDouble() * 2 - 1) * config.jitter();
    return Math.max(1, Math.round(ttl.toMillis() * (1 + spread)));
  }
}
