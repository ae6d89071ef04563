package io.campus.platform.cache;

import io.campus.platform.ops.CallerContext;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
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
 *
 * <p>An eviction or bump that cannot reach Redis (Redis stalled, slow or away, the breaker open)
 * waits in this instance and is sent again once Redis answers: tried every {@code
 * campus.cache.resubscribe-delay} while any waits, and at once after a re-subscription. A stalled
 * Redis keeps the subscription, so waiting for a re-subscription alone left stale L2 entries to
 * every instance until their TTL. Meanwhile this instance refuses the value Redis still holds for
 * such a key (written before the eviction it saw: {@link LocalLayer}), and uses a version of its
 * own for such a tag ({@link TagVersions}), so it never serves what it has invalidated.
 *
 * <p>This class is the facade, with single-flight loads and the replay of invalidations that could
 * not reach Redis; its parts are {@link LocalLayer} (L1), {@link RedisLayer} (L2, the load lock,
 * loads), {@link TagVersions} and {@link InvalidationBus} (pub/sub).
 */
@ApplicationScoped
public class TwoLevelCache {

  private static final Logger LOG = Logger.getLogger(TwoLevelCache.class);
  private static final int MAX_PENDING = 10_000;
  private static final int REPLAY_BATCH = 500;

  private final RedisL2 redis;
  private final CacheConfig config;
  private final CacheMetrics metrics;
  private final LocalLayer local;
  private final TagVersions tagVersions;
  private final RedisLayer l2;
  private final InvalidationBus bus;

  private final Vertx vertx;

  private final ConcurrentMap<String, Uni<Object>> inFlight = new ConcurrentHashMap<>();
  // Bumps and evictions that could not reach Redis, each with the stamp of its latest failure;
  // replayed once it answers. A replay drops only the failures it has sent.
  private final ConcurrentMap<String, Long> pendingKeys = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, Long> pendingTags = new ConcurrentHashMap<>();
  private final AtomicLong pendingStamp = new AtomicLong();
  private final AtomicBoolean retryScheduled = new AtomicBoolean();
  private final AtomicBoolean replaying = new AtomicBoolean();
  private final AtomicBoolean overflowLogged = new AtomicBoolean();
  private volatile boolean stopped;

  public TwoLevelCache(
      RedisL2 redis, CacheConfig config, CacheCodec codec, CacheMetrics metrics, Vertx vertx) {
    this.redis = redis;
    this.config = config;
    this.metrics = metrics;
    this.vertx = vertx;
    String instanceId = UUID.randomUUID().toString();
    CacheTtl ttl = new CacheTtl(config);
    this.local = new LocalLayer(config, ttl);
    this.tagVersions = new TagVersions(redis, config);
    this.l2 = new RedisLayer(redis, config, codec, metrics, ttl, local, tagVersions, instanceId);
    this.bus =
        new InvalidationBus(
            redis,
            config,
            metrics,
            vertx,
            instanceId,
            local,
            tagVersions,
            this::clearLocal,
            this::retryPending);
  }

  void onStart(@Observes StartupEvent event) {
    start();
  }

  void onStop(@Observes ShutdownEvent event) {
    stop();
  }

  /** Subscribes to invalidations; retries in the background while Redis is away. */
  public void start() {
    config.caches().keySet().stream().filter(local::keepsStale).forEach(metrics::staleCounter);
    bus.subscribe();
  }

  @PreDestroy
  public void stop() {
    stopped = true;
    bus.stop();
  }

  // ---------------------------------------------------------------------------------- reads

  /** The cached value for a key, loading it on a miss; a null from the loader is remembered too. */
  @SuppressWarnings("unchecked")
  public <T> Uni<T> get(CacheSpec<T> spec, String key, Supplier<Uni<T>> loader) {
    String full = spec.name() + ":" + key;
    Object cached = local.get(spec.name(), full);
    if (cached != null) {
      metrics.hit(spec.name(), "l1");
      return Uni.createFrom().item((T) unwrap(cached));
    }
    metrics.miss(spec.name(), "l1");
    Context context = io.vertx.core.Vertx.currentContext();
    Uni<Object> shared = shared(full, () -> l2.read(spec, full, loader));
    Uni<T> result = shared.map(v -> (T) unwrap(v));
    // Followers of a shared load resume on their own event loop, not the leader's.
    return CallerContext.answerOn(context, result);
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
    return tagVersions.version(tag);
  }

  /** Invalidates every key built with the tag's current version, on every instance. */
  public Uni<Void> bump(String tag) {
    return bumpTags(List.of(tag));
  }

  /** Bumps several tags in one Redis round trip (e.g. every student of a bulk assessment). */
  public Uni<Void> bumpAll(Collection<String> tags) {
    if (tags.isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    return bumpTags(List.copyOf(new LinkedHashSet<>(tags)));
  }

  /** Drops a whole cache everywhere (admin use): L1s by message, L2 by a new key generation. */
  public Uni<Void> invalidateCache(String cacheName) {
    local.invalidateAll(cacheName);
    metrics.eviction(cacheName, "local");
    return bump("cache:" + cacheName)
        .chain(() -> redis.send(bus.publishRequest("c", List.of(cacheName))).replaceWithVoid());
  }

  /**
   * Drops every cache everywhere: after data changed outside the API (demo load, an operator's
   * SQL). Covers every configured cache and any other this instance has used.
   */
  public Uni<Void> invalidateAll() {
    Set<String> names = new TreeSet<>(config.caches().keySet());
    names.addAll(local.names());
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
    local.clear();
    tagVersions.forgetAll();
  }

  /** The configured caches (every cache the code declares has an entry), sorted. */
  public Set<String> configuredCacheNames() {
    return new TreeSet<>(config.caches().keySet());
  }

  public Set<String> cacheNames() {
    return Set.copyOf(local.names());
  }

  /** Whether this instance currently receives invalidations from other instances. */
  public boolean subscribed() {
    return bus.subscribed();
  }

  // -------------------------------------------------------------------------- internals

  /** Single-flight: concurrent misses of one key in this instance share one load. */
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

  private Uni<Void> bumpTags(List<String> list) {
    return sendBumps(list).replaceWithVoid();
  }

  /** Bumps tags in Redis; false (and remembered for a replay) when Redis could not be reached. */
  private Uni<Boolean> sendBumps(List<String> list) {
    return tagVersions
        .bump(list, bus.publishRequest("t", list))
        .invoke(
            reached -> {
              if (!reached) {
                remember(pendingTags, list);
              }
            });
  }

  private Uni<Void> evictFull(List<String> fullKeys) {
    return sendEvictions(fullKeys).replaceWithVoid();
  }

  /**
   * Evicts full keys here and in Redis, and announces it; false (and remembered for a replay) when
   * Redis could not be reached.
   */
  private Uni<Boolean> sendEvictions(List<String> fullKeys) {
    for (String full : fullKeys) {
      String name = full.substring(0, full.indexOf(':'));
      local.invalidate(name, full);
      // a load already under way may have read before the change: later reads start their own
      inFlight.remove(full);
      metrics.eviction(name, "local");
    }
    if (fullKeys.isEmpty()) {
      return Uni.createFrom().item(true);
    }
    // The generation of each cache is needed for the Redis key; it is in L1 almost always.
    List<Uni<String>> redisKeys = new ArrayList<>(fullKeys.size());
    for (String full : fullKeys) {
      int colon = full.indexOf(':');
      String name = full.substring(0, colon);
      String key = full.substring(colon + 1);
      redisKeys.add(tagVersions.generation(name).map(gen -> l2.key(name, gen, key)));
    }
    return Uni.join()
        .all(redisKeys)
        .andFailFast()
        .chain(
            keys -> {
              Request del = Request.cmd(Command.DEL);
              keys.forEach(del::arg);
              return redis.batch(List.of(del, bus.publishRequest("k", fullKeys)));
            })
        .map(
            responses -> {
              if (responses == null) {
                remember(pendingKeys, fullKeys);
              }
              return responses != null;
            });
  }

  private boolean nothingPending() {
    return pendingKeys.isEmpty() && pendingTags.isEmpty();
  }

  private void remember(ConcurrentMap<String, Long> pending, List<String> items) {
    long stamp = pendingStamp.incrementAndGet();
    for (String item : items) {
      if (pending.size() < MAX_PENDING || pending.containsKey(item)) {
        pending.put(item, stamp);
      } else if (overflowLogged.compareAndSet(false, true)) {
        LOG.warnf(
            "More than %d invalidations waiting for Redis; further ones rely on TTLs", MAX_PENDING);
      }
    }
    scheduleRetry();
  }

  /** One retry of the pending invalidations after {@code campus.cache.resubscribe-delay}. */
  private void scheduleRetry() {
    if (!stopped && retryScheduled.compareAndSet(false, true)) {
      vertx.setTimer(
          config.resubscribeDelay().toMillis(),
          id -> {
            retryScheduled.set(false);
            retryPending();
          });
    }
  }

  /**
   * Sends the evictions and bumps that could not reach Redis, if it answers now; tried again later
   * while any are left. Runs after each re-subscription too.
   */
  private void retryPending() {
    if (stopped || nothingPending() || !replaying.compareAndSet(false, true)) {
      return;
    }
    redis
        .send(Request.cmd(Command.PING))
        .chain(reply -> reply.available() ? replayPending() : Uni.createFrom().voidItem())
        .onFailure()
        .invoke(failure -> LOG.debug("Replaying invalidations failed", failure))
        .onFailure()
        .recoverWithNull()
        .subscribe()
        .with(
            ignored -> {
              replaying.set(false);
              if (!nothingPending()) {
                scheduleRetry();
              }
            });
  }

  /**
   * Sends what is pending in batches of {@value #REPLAY_BATCH}, tags first (a key's eviction needs
   * its cache's generation, itself a tag), and stops at the first batch Redis does not take.
   */
  private Uni<Void> replayPending() {
    List<List<String>> tags = batches(pendingTags);
    List<List<String>> keys = batches(pendingKeys);
    Uni<Boolean> sent = Uni.createFrom().item(true);
    for (List<String> batch : tags) {
      sent = sent.chain(ok -> ok ? replay(batch, pendingTags, this::sendBumps) : uni(false));
    }
    for (List<String> batch : keys) {
      sent = sent.chain(ok -> ok ? replay(batch, pendingKeys, this::sendEvictions) : uni(false));
    }
    return sent.invoke(
            ok -> {
              if (ok) {
                if (pendingTags.isEmpty()) {
                  tagVersions.forgetOfflineBumps();
                }
                if (nothingPending()) {
                  overflowLogged.set(false);
                }
                LOG.debugf(
                    "Sent %d batches of invalidations that could not reach Redis before",
                    tags.size() + keys.size());
              }
            })
        .replaceWithVoid();
  }

  private static List<List<String>> batches(ConcurrentMap<String, Long> pending) {
    List<String> items = List.copyOf(pending.keySet());
    List<List<String>> batches = new ArrayList<>();
    for (int from = 0; from < items.size(); from += REPLAY_BATCH) {
      batches.add(items.subList(from, Math.min(items.size(), from + REPLAY_BATCH)));
    }
    return batches;
  }

  /** Sends one batch; once Redis took it, drops its items, unless they failed again since. */
  private static Uni<Boolean> replay(
      List<String> batch,
      ConcurrentMap<String, Long> pending,
      Function<List<String>, Uni<Boolean>> send) {
    Map<String, Long> stamps = new HashMap<>();
    batch.forEach(item -> stamps.put(item, pending.get(item)));
    return send.apply(batch)
        .invoke(
            ok -> {
              if (ok) {
                stamps.forEach(
                    (item, stamp) -> {
                      if (stamp != null) {
                        pending.remove(item, stamp);
                      }
                    });
              }
            });
  }

  private static Uni<Boolean> uni(boolean value) {
    return Uni.createFrom().item(value);
  }

  private static Object unwrap(Object value) {
    return value == CacheCodec.ABSENT ? null : value;
  }
}
