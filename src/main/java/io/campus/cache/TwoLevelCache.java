package io.campus.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.campus.common.ProblemException;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.RedisConnection;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * The cache every domain service uses: Caffeine per instance (L1) over Redis (L2) over the loader
 * (the database).
 *
 * <ul>
 *   <li>Reads go L1 → L2 → loader and fill both layers; misses are remembered briefly.
 *   <li>Concurrent misses of one key in this instance share one load; across instances a short
 *       Redis lock lets one instance load while the others poll for its value, then load
 *       themselves.
 *   <li>Writes evict: L1 here, L2 by DEL, and every other instance's L1 through a pub/sub message.
 *       Families of keys (pages of a listing, everything of a user) are invalidated by bumping a
 *       tag version that callers fold into their keys: no KEYS or SCAN, ever.
 *   <li>After losing its subscription an instance clears its L1 once it is back, since it may have
 *       missed invalidations; L1 TTLs ({@code campus.cache.l1-max-ttl}) bound staleness meanwhile.
 *   <li>Redis is an optimisation: every call is time-limited and behind a circuit breaker ({@link
 *       RedisL2}); without Redis the cache works per instance.
 *   <li>Caches with {@code stale-if-error} keep each value this instance saw for that long; when
 *       the loader fails (the database is down or saturated) such a value is served instead of an
 *       error. Invalidations drop these values as well, so only expired ones are ever served.
 * </ul>
 */
@ApplicationScoped
public class TwoLevelCache {

  private static final Logger LOG = Logger.getLogger(TwoLevelCache.class);
  private static final int MAX_PENDING = 10_000;

  private final RedisL2 redis;
  private final CacheConfig config;
  private final CacheCodec codec;
  private final CacheMetrics metrics;
  private final Vertx vertx;
  private final String instanceId = UUID.randomUUID().toString();

  private final ConcurrentMap<String, Cache<String, L1Entry>> l1 = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, Optional<Cache<String, Object>>> stale =
      new ConcurrentHashMap<>();
  private final ConcurrentMap<String, Uni<Object>> inFlight = new ConcurrentHashMap<>();
  private final Cache<String, Long> tagVersions;
  // Bumps and evictions that could not reach Redis; replayed once it is back.
  private final Set<String> pendingKeys = ConcurrentHashMap.newKeySet();
  private final Set<String> pendingTags = ConcurrentHashMap.newKeySet();
  private final ConcurrentMap<String, Long> offlineBumps = new ConcurrentHashMap<>();

  private final AtomicBoolean subscribing = new AtomicBoolean();
  private volatile RedisConnection subscription;
  private volatile boolean everSubscribed;
  private volatile boolean stopped;

  private record L1Entry(Object value, long ttlNanos) {}

  public TwoLevelCache(
      RedisL2 redis, CacheConfig config, CacheCodec codec, CacheMetrics metrics, Vertx vertx) {
    this.redis = redis;
    this.config = config;
    this.codec = codec;
    this.metrics = metrics;
    this.vertx = vertx;
    this.tagVersions =
        Caffeine.newBuilder()
            .maximumSize(config.l1MaxSize())
            .expireAfterWrite(config.l1MaxTtl())
            .build();
  }

  void onStart(@Observes StartupEvent event) {
    start();
  }

  void onStop(@Observes ShutdownEvent event) {
    stop();
  }

  /** Subscribes to invalidations; retries in the background while Redis is away. */
  public void start() {
    config
        .caches()
        .keySet()
        .forEach(name -> stale(name).ifPresent(c -> metrics.staleCounter(name)));
    subscribe();
  }

  @PreDestroy
  public void stop() {
    stopped = true;
    RedisConnection connection = subscription;
    subscription = null;
    if (connection != null) {
      connection.close().subscribe().with(ignored -> {}, failure -> {});
    }
  }

  // ---------------------------------------------------------------------------------- reads

  /** The cached value for a key, loading it on a miss; a null from the loader is remembered too. */
  @SuppressWarnings("unchecked")
  public <T> Uni<T> get(CacheSpec<T> spec, String key, Supplier<Uni<T>> loader) {
    String full = spec.name() + ":" + key;
    L1Entry entry = l1(spec.name()).getIfPresent(full);
    if (entry != null) {
      metrics.hit(spec.name(), "l1");
      return Uni.createFrom().item((T) unwrap(entry.value()));
    }
    metrics.miss(spec.name(), "l1");
    Context context = io.vertx.core.Vertx.currentContext();
    Uni<Object> shared = shared(full, () -> fromL2OrLoad(spec, full, loader));
    Uni<T> result = shared.map(v -> (T) unwrap(v));
    // Followers of a shared load resume on their own event loop, not the leader's.
    return context == null ? result : result.emitOn(task -> context.runOnContext(v -> task.run()));
  }

  // ----------------------------------------------------------------------------- writes

  /** Evicts keys of one cache everywhere: this L1, Redis, and every other instance's L1. */
  public Uni<Void> evict(CacheSpec<?> spec, String... keys) {
    List<String> full = new ArrayList<>(keys.length);
    for (String key : keys) {
      full.add(spec.name() + ":" + key);
    }
    return evictFull(full);
  }

  /** The current version of a tag, to fold into the keys of a family of entries. */
  public Uni<Long> version(String tag) {
    Long known = tagVersions.getIfPresent(tag);
    if (known != null) {
      return Uni.createFrom().item(known);
    }
    return redis
        .send(Request.cmd(Command.GET).arg(tagKey(tag)))
        .map(
            reply -> {
              if (!reply.available()) {
                // Offline versions are negative so they never meet a version Redis handed out.
                return -offlineBumps.getOrDefault(tag, 0L) - 1;
              }
              long version = reply.isNull() ? 0 : reply.response().toLong();
              tagVersions.put(tag, version);
              return version;
            });
  }

  /** Invalidates every key built with the tag's current version, on every instance. */
  public Uni<Void> bump(String tag) {
    tagVersions.invalidate(tag);
    return redis
        .batch(
            List.of(Request.cmd(Command.INCR).arg(tagKey(tag)), publishRequest("t", List.of(tag))))
        .invoke(
            responses -> {
              if (responses == null) {
                offlineBumps.merge(tag, 1L, Long::sum);
                remember(pendingTags, tag);
              } else {
                tagVersions.put(tag, responses.get(0).toLong());
              }
            })
        .replaceWithVoid();
  }

  /** Bumps several tags in one Redis round trip (e.g. every student of a bulk assessment). */
  public Uni<Void> bumpAll(java.util.Collection<String> tags) {
    if (tags.isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    List<String> list = List.copyOf(new java.util.LinkedHashSet<>(tags));
    list.forEach(tagVersions::invalidate);
    List<Request> requests = new ArrayList<>(list.size() + 1);
    list.forEach(tag -> requests.add(Request.cmd(Command.INCR).arg(tagKey(tag))));
    requests.add(publishRequest("t", list));
    return redis
        .batch(requests)
        .invoke(
            responses -> {
              for (int i = 0; i < list.size(); i++) {
                String tag = list.get(i);
                if (responses == null) {
                  offlineBumps.merge(tag, 1L, Long::sum);
                  remember(pendingTags, tag);
                } else {
                  tagVersions.put(tag, responses.get(i).toLong());
                }
              }
            })
        .replaceWithVoid();
  }

  /** Drops a whole cache everywhere (admin use): L1s by message, L2 by a new key generation. */
  public Uni<Void> invalidateCache(String cacheName) {
    invalidateLocalAll(cacheName);
    metrics.eviction(cacheName, "local");
    return bump("cache:" + cacheName)
        .chain(() -> redis.send(publishRequest("c", List.of(cacheName))).replaceWithVoid());
  }

  /**
   * Drops every cache everywhere: after data changed outside the API (demo load, an operator's
   * SQL). Covers every configured cache and any other this instance has used.
   */
  public Uni<Void> invalidateAll() {
    Set<String> names = new java.util.TreeSet<>(config.caches().keySet());
    names.addAll(l1.keySet());
    return Multi.createFrom()
        .iterable(names)
        .onItem()
        .transformToUniAndConcatenate(this::invalidateCache)
        .collect()
        .last()
        .replaceWithVoid();
  }

  /** Drops everything this instance holds in L1. */
  public void clearLocal() {
    l1.values().forEach(Cache::invalidateAll);
    tagVersions.invalidateAll();
  }

  public Set<String> cacheNames() {
    return Set.copyOf(l1.keySet());
  }

  /** Whether this instance currently receives invalidations from other instances. */
  public boolean subscribed() {
    return subscription != null;
  }

  // -------------------------------------------------------------------------- internals

  private Uni<Object> shared(String full, Supplier<Uni<? extends Object>> work) {
    @SuppressWarnings("unchecked")
    Uni<Object>[] created = new Uni[1];
    Uni<Object> shared =
        inFlight.computeIfAbsent(
            full,
            k -> {
              created[0] =
                  Uni.createFrom()
                      .deferred(work)
                      .onTermination()
                      .invoke(() -> inFlight.remove(k, created[0]))
                      .memoize()
                      .indefinitely();
              return created[0];
            });
    return shared;
  }

  private Uni<Object> fromL2OrLoad(
      CacheSpec<?> spec, String full, Supplier<? extends Uni<?>> loader) {
    String name = spec.name();
    String key = full.substring(name.length() + 1);
    return generation(name)
        .chain(
            gen -> {
              String redisKey = redisKey(name, gen, key);
              return redis
                  .send(Request.cmd(Command.GET).arg(redisKey))
                  .chain(
                      reply -> {
                        Object decoded = decoded(spec, redisKey, reply);
                        if (decoded != null) {
                          metrics.hit(name, "l2");
                          putL1(name, full, decoded);
                          return Uni.createFrom().item(decoded);
                        }
                        metrics.miss(name, "l2");
                        if (!reply.available()) {
                          return load(spec, full, redisKey, loader, false);
                        }
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
                                        .call(
                                            () ->
                                                redis.send(Request.cmd(Command.DEL).arg(lockKey)));
                                  }
                                  return awaitOther(
                                      spec, full, redisKey, loader, config.lockPolls());
                                });
                      });
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
              Object decoded = decoded(spec, redisKey, reply);
              if (decoded != null) {
                metrics.hit(spec.name(), "l2");
                putL1(spec.name(), full, decoded);
                return Uni.createFrom().item(decoded);
              }
              if (!reply.available()) {
                return load(spec, full, redisKey, loader, false);
              }
              return awaitOther(spec, full, redisKey, loader, remaining - 1);
            });
  }

  private Uni<Object> load(
      CacheSpec<?> spec,
      String full,
      String redisKey,
      Supplier<? extends Uni<?>> loader,
      boolean writeL2) {
    Timer.Sample sample = Timer.start();
    return loader
        .get()
        .map(value -> value == null ? CacheCodec.ABSENT : (Object) value)
        .call(
            value -> {
              sample.stop(metrics.loadTimer(spec.name()));
              putL1(spec.name(), full, value);
              if (!writeL2) {
                return Uni.createFrom().voidItem();
              }
              return redis.send(
                  setRequest(
                      redisKey,
                      codec.encode(spec, redisKey, value),
                      ttlMillis(spec.name(), value)));
            })
        .onFailure(TwoLevelCache::isOutage)
        .recoverWithUni(
            failure -> {
              Object previous = staleValue(spec.name(), full);
              if (previous == null) {
                return Uni.createFrom().failure(failure);
              }
              metrics.staleServed(spec.name());
              LOG.debugf("Serving a stale %s after a failed load: %s", full, failure);
              return Uni.createFrom().item(previous);
            });
  }

  /** Failures a stale value may stand in for: anything but an answer about the request itself. */
  private static boolean isOutage(Throwable failure) {
    return !(failure instanceof ProblemException problem) || problem.status() >= 500;
  }

  private Object staleValue(String cacheName, String full) {
    return stale(cacheName).map(c -> c.getIfPresent(full)).orElse(null);
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
                      Caffeine.newBuilder()
                          .maximumSize(named.l1MaxSize().orElse(config.l1MaxSize()))
                          .expireAfterWrite(grace)
                          .build());
        });
  }

  private void invalidateLocal(String cacheName, String full) {
    l1(cacheName).invalidate(full);
    stale(cacheName).ifPresent(c -> c.invalidate(full));
  }

  private void invalidateLocalAll(String cacheName) {
    l1(cacheName).invalidateAll();
    stale(cacheName).ifPresent(Cache::invalidateAll);
  }

  private Object decoded(CacheSpec<?> spec, String redisKey, RedisReply reply) {
    if (!reply.available() || reply.isNull()) {
      return null;
    }
    return codec.decode(spec, redisKey, reply.response().toBytes());
  }

  /** Every Redis key carries its cache's generation, so a whole cache can be dropped by a bump. */
  private Uni<Long> generation(String cacheName) {
    return version("cache:" + cacheName);
  }

  private Uni<Void> evictFull(List<String> fullKeys) {
    for (String full : fullKeys) {
      String name = full.substring(0, full.indexOf(':'));
      invalidateLocal(name, full);
      metrics.eviction(name, "local");
    }
    if (fullKeys.isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    // The generation of each cache is needed for the Redis key; it is in L1 almost always.
    List<Uni<String>> redisKeys = new ArrayList<>(fullKeys.size());
    for (String full : fullKeys) {
      int colon = full.indexOf(':');
      String name = full.substring(0, colon);
      String key = full.substring(colon + 1);
      redisKeys.add(generation(name).map(gen -> redisKey(name, gen, key)));
    }
    return Uni.join()
        .all(redisKeys)
        .andFailFast()
        .chain(
            keys -> {
              Request del = Request.cmd(Command.DEL);
              keys.forEach(del::arg);
              return redis.batch(List.of(del, publishRequest("k", fullKeys)));
            })
        .invoke(
            responses -> {
              if (responses == null) {
                fullKeys.forEach(k -> remember(pendingKeys, k));
              }
            })
        .replaceWithVoid();
  }

  private void putL1(String cacheName, String full, Object value) {
    long ttl =
        value == CacheCodec.ABSENT
            ? Math.min(config.negativeTtl().toMillis(), config.l1MaxTtl().toMillis())
            : Math.min(jittered(ttlOf(cacheName)), config.l1MaxTtl().toMillis());
    l1(cacheName).put(full, new L1Entry(value, Duration.ofMillis(ttl).toNanos()));
    if (value != CacheCodec.ABSENT) {
      stale(cacheName).ifPresent(c -> c.put(full, value));
    }
  }

  private Cache<String, L1Entry> l1(String cacheName) {
    return l1.computeIfAbsent(
        cacheName,
        name -> {
          CacheConfig.Named named = config.caches().get(name);
          long size =
              named == null ? config.l1MaxSize() : named.l1MaxSize().orElse(config.l1MaxSize());
          return Caffeine.newBuilder()
              .maximumSize(size)
              .expireAfter(
                  new Expiry<String, L1Entry>() {
                    @Override
                    public long expireAfterCreate(String key, L1Entry value, long currentTime) {
                      return value.ttlNanos();
                    }

                    @Override
                    public long expireAfterUpdate(
                        String key, L1Entry value, long currentTime, long currentDuration) {
                      return value.ttlNanos();
                    }

                    @Override
                    public long expireAfterRead(
                        String key, L1Entry value, long currentTime, long currentDuration) {
                      return currentDuration;
                    }
                  })
              .build();
        });
  }

  private long ttlMillis(String cacheName, Object value) {
    return value == CacheCodec.ABSENT
        ? config.negativeTtl().toMillis()
        : jittered(ttlOf(cacheName));
  }

  private Duration ttlOf(String cacheName) {
    CacheConfig.Named named = config.caches().get(cacheName);
    return named == null ? config.defaultTtl() : named.ttl();
  }

  private long jittered(Duration ttl) {
    double spread = (ThreadLocalRandom.current().nextDouble() * 2 - 1) * config.jitter();
    return Math.max(1, Math.round(ttl.toMillis() * (1 + spread)));
  }

  private String redisKey(String cacheName, long generation, String key) {
    return config.keyPrefix() + "c:" + cacheName + "@" + generation + ":" + key;
  }

  private String tagKey(String tag) {
    return config.keyPrefix() + "tag:" + tag;
  }

  private static Request setRequest(String key, byte[] value, long ttlMillis) {
    return Request.cmd(Command.SET).arg(key).arg(value).arg("PX").arg(ttlMillis);
  }

  private Request publishRequest(String kind, Collection<String> items) {
    StringBuilder message = new StringBuilder(instanceId).append('\n').append(kind);
    for (String item : items) {
      message.append('\n').append(item);
    }
    return Request.cmd(Command.PUBLISH).arg(config.channel()).arg(message.toString());
  }

  private static Object unwrap(Object value) {
    return value == CacheCodec.ABSENT ? null : value;
  }

  private void remember(Set<String> pending, String item) {
    if (pending.size() < MAX_PENDING) {
      pending.add(item);
    } else {
      LOG.warnf("Too many invalidations waiting for Redis; %s relies on TTLs", item);
    }
  }

  // ---------------------------------------------------------------------- invalidations

  private void subscribe() {
    if (stopped || !config.redisEnabled() || !subscribing.compareAndSet(false, true)) {
      return;
    }
    redis
        .subscriberClient()
        .connect()
        .ifNoItem()
        .after(Duration.ofSeconds(2))
        .fail()
        .chain(
            connection -> {
              connection.handler(this::onMessage);
              connection.exceptionHandler(failure -> lost(connection));
              connection.endHandler(() -> lost(connection));
              return connection
                  .send(Request.cmd(Command.SUBSCRIBE).arg(config.channel()))
                  .ifNoItem()
                  .after(Duration.ofSeconds(2))
                  .fail()
                  .replaceWith(connection);
            })
        .subscribe()
        .with(
            connection -> {
              subscription = connection;
              subscribing.set(false);
              if (everSubscribed) {
                // Messages sent while we were away are lost: start from an empty L1.
                clearLocal();
                metrics.resubscribed();
                replayPending();
                LOG.info("Re-subscribed to cache invalidations; local cache cleared");
              }
              everSubscribed = true;
            },
            failure -> {
              subscribing.set(false);
              LOG.debugf("Cache invalidation channel unavailable: %s", failure.getMessage());
              retrySubscribe();
            });
  }

  private void lost(RedisConnection connection) {
    if (!stopped && subscription == connection) {
      subscription = null;
      clearLocal();
      LOG.warn("Lost the cache invalidation channel; serving from the database until it is back");
      retrySubscribe();
    }
  }

  private void retrySubscribe() {
    if (!stopped) {
      vertx.setTimer(config.resubscribeDelay().toMillis(), id -> subscribe());
    }
  }

  private void replayPending() {
    List<String> keys = new ArrayList<>(pendingKeys);
    pendingKeys.removeAll(keys);
    List<String> tags = new ArrayList<>(pendingTags);
    pendingTags.removeAll(tags);
    offlineBumps.clear();
    Uni<Void> work = evictFull(keys);
    for (String tag : tags) {
      work = work.chain(() -> bump(tag));
    }
    work.subscribe()
        .with(ignored -> {}, failure -> LOG.debug("Replaying invalidations failed", failure));
  }

  private void onMessage(Response response) {
    if (response == null || response.size() < 3 || !"message".equals(response.get(0).toString())) {
      return;
    }
    String[] lines = response.get(2).toString().split("\n");
    if (lines.length < 2 || instanceId.equals(lines[0])) {
      return;
    }
    for (int i = 2; i < lines.length; i++) {
      String item = lines[i];
      switch (lines[1]) {
        case "k" -> {
          int colon = item.indexOf(':');
          if (colon > 0) {
            String name = item.substring(0, colon);
            invalidateLocal(name, item);
            metrics.eviction(name, "remote");
          }
        }
        case "t" -> tagVersions.invalidate(item);
        case "c" -> {
          invalidateLocalAll(item);
          metrics.eviction(item, "remote");
        }
        default -> LOG.debugf("Unknown invalidation kind %s", lines[1]);
      }
    }
  }
}
