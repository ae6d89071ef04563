package io.campus.platform.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Expiry;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * This instance's layer (L1) of {@link TwoLevelCache}: a Caffeine cache per cache name whose
 * entries each carry their own TTL, and, for caches with {@code stale-if-error}, a copy of every
 * value seen, kept for that long to stand in when a load fails. Invalidations drop both, and are
 * remembered for as long as a Redis value written before them could still be read: such a value
 * (put back by whoever can write to Redis, or set by a write that raced the eviction) is a miss.
 */
final class LocalLayer {

  private final CacheConfig config;
  private final CacheTtl ttl;
  private final ConcurrentMap<String, Cache<String, Entry>> l1 = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, Optional<Cache<String, Object>>> stale =
      new ConcurrentHashMap<>();

  // Bounded: past it the oldest are forgotten and such values live out their signed life.
  private static final long MAX_REMEMBERED_EVICTIONS = 100_000;

  // Epoch ms at which this instance last saw a key, or a whole cache, evicted.
  private final Cache<String, Long> evictedKeys;
  private final ConcurrentMap<String, Long> evictedCaches = new ConcurrentHashMap<>();

  private record Entry(Object value, long ttlNanos) {}

  LocalLayer(CacheConfig config, CacheTtl ttl) {
    this.config = config;
    this.ttl = ttl;
    this.evictedKeys =
        LocalCaches.builder()
            .maximumSize(MAX_REMEMBERED_EVICTIONS)
            .expireAfterWrite(Duration.ofMillis(ttl.longestL2Millis()))
            .build();
  }

  /** The value held for a full key ({@link CacheCodec#ABSENT} for a remembered miss), or null. */
  Object get(String cacheName, String full) {
    Entry entry = l1(cacheName).getIfPresent(full);
    return entry == null ? null : entry.value();
  }

  void put(String cacheName, String full, Object value) {
    long millis = ttl.l1Millis(cacheName, value);
    l1(cacheName).put(full, new Entry(value, Duration.ofMillis(millis).toNanos()));
    if (value != CacheCodec.ABSENT) {
      stale(cacheName).ifPresent(c -> c.put(full, value));
    }
  }

  /** The last value seen for a full key, if the cache keeps values for stale-if-error. */
  Object staleValue(String cacheName, String full) {
    return stale(cacheName).map(c -> c.getIfPresent(full)).orElse(null);
  }

  boolean keepsStale(String cacheName) {
    return stale(cacheName).isPresent();
  }

  void invalidate(String cacheName, String full) {
    evictedKeys.put(full, System.currentTimeMillis());
    l1(cacheName).invalidate(full);
    stale(cacheName).ifPresent(c -> c.invalidate(full));
  }

  void invalidateAll(String cacheName) {
    evictedCaches.put(cacheName, System.currentTimeMillis());
    l1(cacheName).invalidateAll();
    stale(cacheName).ifPresent(Cache::invalidateAll);
  }

  /** When this instance last saw the key evicted, alone or with its cache (epoch ms; 0: never). */
  long evictedAt(String cacheName, String full) {
    Long key = evictedKeys.getIfPresent(full);
    Long cache = evictedCaches.get(cacheName);
    return Math.max(key == null ? 0 : key, cache == null ? 0 : cache);
  }

  /**
   * Empties every L1 cache (stale-if-error values stay: they are dropped only by invalidations).
   */
  void clear() {
    l1.values().forEach(Cache::invalidateAll);
  }

  /** Names of the caches this instance has used (a live view). */
  Set<String> names() {
    return l1.keySet();
  }

  private Optional<Cache<String, Object>> stale(String cacheName) {
    return stale.computeIfAbsent(
        cacheName,
        name -> {
          CacheConfig.Named named = config.caches().get(name);
          if (named == null) {
            return Optional.empty();
          }
          return named
              .staleIfError()
              .filter(grace -> !grace.isZero() && !grace.isNegative())
              .map(
                  grace ->
                      LocalCaches.builder()
                          .maximumSize(named.l1MaxSize().orElse(config.l1MaxSize()))
                          .expireAfterWrite(grace)
                          .build());
        });
  }

  private Cache<String, Entry> l1(String cacheName) {
    return l1.computeIfAbsent(
        cacheName,
        name -> {
          CacheConfig.Named named = config.caches().get(name);
          long size =
              named == null ? config.l1MaxSize() : named.l1MaxSize().orElse(config.l1MaxSize());
          return LocalCaches.builder().maximumSize(size).expireAfter(new PerEntryTtl()).build();
        });
  }

  /** Each entry lives its own TTL from its last write; reads do not extend it. */
  private static final class PerEntryTtl implements Expiry<String, Entry> {
    @Override
    public long expireAfterCreate(String key, Entry value, long currentTime) {
      return value.ttlNanos();
    }

    @Override
    public long expireAfterUpdate(String key, Entry value, long currentTime, long currentDuration) {
      return value.ttlNanos();
    }

    @Override
    public long expireAfterRead(String key, Entry value, long currentTime, long currentDuration) {
      return currentDuration;
    }
  }
}
