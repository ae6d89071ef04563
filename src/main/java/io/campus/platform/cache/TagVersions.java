package io.campus.platform.cache;

import com.github.benmanes.caffeine.cache.Cache;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Tag versions of {@link TwoLevelCache}: a counter per tag in Redis, folded into the keys of a
 * family of entries, so bumping it invalidates the family without KEYS or SCAN. Known versions are
 * held here as long as an L1 entry at most. Without Redis versions are negative, so they never meet
 * a version Redis handed out; a tag bumped meanwhile gets a negative version of this instance's own
 * until the bump reaches Redis.
 */
final class TagVersions {

  private final RedisL2 redis;
  private final CacheConfig config;
  private final Cache<String, Long> known;
  // Tags bumped while Redis could not be reached, with the version this instance uses for them
  // until the bump reaches Redis (which still has the version from before).
  private final ConcurrentMap<String, Long> offlineBumps = new ConcurrentHashMap<>();
  // Those versions: negative, from a random start, so no other instance ever uses one of them and
  // no entry written under one is read elsewhere.
  private final AtomicLong offlineVersions =
      new AtomicLong(-2 - (ThreadLocalRandom.current().nextLong() >>> 2));

  TagVersions(RedisL2 redis, CacheConfig config) {
    this.redis = redis;
    this.config = config;
    this.known =
        LocalCaches.builder()
            .maximumSize(config.l1MaxSize())
            .expireAfterWrite(config.l1MaxTtl())
            .build();
  }

  Uni<Long> version(String tag) {
    Long offline = offlineBumps.get(tag);
    if (offline != null) {
      return Uni.createFrom().item(offline);
    }
    Long version = known.getIfPresent(tag);
    if (version != null) {
      return Uni.createFrom().item(version);
    }
    return redis
        .send(Request.cmd(Command.GET).arg(key(tag)))
        .map(
            reply -> {
              if (!reply.available()) {
                // Offline versions are negative so they never meet a version Redis handed out.
                return -1L;
              }
              long current = reply.isNull() ? 0 : reply.response().toLong();
              known.put(tag, current);
              return current;
            });
  }

  /** Every Redis key carries its cache's generation, so a whole cache can be dropped by a bump. */
  Uni<Long> generation(String cacheName) {
    return version("cache:" + cacheName);
  }

  /**
   * Increments distinct tags and sends the announcement of it in one round trip; false when Redis
   * could not be reached, in which case the bumps are counted here only.
   */
  Uni<Boolean> bump(List<String> tags, Request announcement) {
    tags.forEach(known::invalidate);
    List<Request> requests = new ArrayList<>(tags.size() + 1);
    tags.forEach(tag -> requests.add(Request.cmd(Command.INCR).arg(key(tag))));
    requests.add(announcement);
    return redis
        .batch(requests)
        .map(
            responses -> {
              for (int i = 0; i < tags.size(); i++) {
                String tag = tags.get(i);
                if (responses == null) {
                  offlineBumps.put(tag, offlineVersions.getAndDecrement());
                } else {
                  known.put(tag, responses.get(i).toLong());
                  // Redis now has a version past every one used before the bumps counted here.
                  offlineBumps.remove(tag);
                }
              }
              return responses != null;
            });
  }

  /** Another instance bumped the tag. */
  void forget(String tag) {
    known.invalidate(tag);
  }

  void forgetAll() {
    known.invalidateAll();
  }

  /** The bumps counted here have reached Redis (or been given up on). */
  void forgetOfflineBumps() {
    offlineBumps.clear();
  }

  private String key(String tag) {
    return config.keyPrefix() + "tag:" + tag;
  }
}
