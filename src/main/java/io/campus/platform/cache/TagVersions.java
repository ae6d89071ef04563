package io.campus.platform.cache;

import com.github.benmanes.caffeine.cache.Cache;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
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
 *
 * <p>Replies come back on several pipelined connections, so one may be handled after a bump or a
 * forget that came later than its request. A reply is kept only if the tag's entry is still the
 * marker its request left there; otherwise, of two versions the larger (later) one is kept. A
 * version read before a bump therefore never becomes the known one again.
 */
final class TagVersions {

  /** The Redis calls made here: {@link RedisL2}'s. */
  interface Commands {
    Uni<RedisReply> send(Request request);

    Uni<List<Response>> batch(List<Request> requests);
  }

  private final Commands redis;
  private final CacheConfig config;
  // A tag's version (Long), or a Forgotten marker while it is being asked for or was forgotten.
  private final Cache<String, Object> known;
  // Tags bumped while Redis could not be reached, with the version this instance uses for them
  // until the bump reaches Redis (which still has the version from before).
  private final ConcurrentMap<String, Long> offlineBumps = new ConcurrentHashMap<>();
  // Those versions: negative, from a random start, so no other instance ever uses one of them and
  // no entry written under one is read elsewhere.
  private final AtomicLong offlineVersions =
      new AtomicLong(-2 - (ThreadLocalRandom.current().nextLong() >>> 2));

  TagVersions(Commands redis, CacheConfig config) {
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
    Object entry = known.get(tag, absent -> new Forgotten());
    if (entry instanceof Long version) {
      return Uni.createFrom().item(version);
    }
    Forgotten before = (Forgotten) entry;
    return redis
        .send(Request.cmd(Command.GET).arg(key(tag)))
        .map(
            reply -> {
              if (!reply.available()) {
                // Offline versions are negative so they never meet a version Redis handed out.
                return -1L;
              }
              long current = reply.isNull() ? 0 : reply.response().toLong();
              keep(tag, before, current);
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
    List<Forgotten> before = new ArrayList<>(tags.size());
    for (String tag : tags) {
      Forgotten marker = new Forgotten();
      known.put(tag, marker);
      before.add(marker);
    }
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
                  keep(tag, before.get(i), responses.get(i).toLong());
                  // Redis now has a version past every one used before the bumps counted here.
                  offlineBumps.remove(tag);
                }
              }
              return responses != null;
            });
  }

  /** Another instance bumped the tag. */
  void forget(String tag) {
    // A new marker, so a reply to a request sent before this is not kept. Absent stays absent: no
    // request is waiting for it (each leaves its marker).
    known.asMap().replace(tag, new Forgotten());
  }

  /** Replies to requests sent before this find their markers gone, and are not kept either. */
  void forgetAll() {
    known.invalidateAll();
  }

  /** The bumps counted here have reached Redis (or been given up on). */
  void forgetOfflineBumps() {
    offlineBumps.clear();
  }

  /**
   * Keeps a version Redis answered if nothing happened to the tag since the request left {@code
   * before}; if another reply got there first, the larger version is the later one.
   */
  private void keep(String tag, Forgotten before, long version) {
    known
        .asMap()
        .computeIfPresent(
            tag,
            (t, current) -> {
              if (current == before) {
                return version;
              }
              if (current instanceof Long other && other < version) {
                return version;
              }
              return current;
            });
  }

  private String key(String tag) {
    return config.keyPrefix() + "tag:" + tag;
  }

  /** Stands for no known version: a fresh one per request and per forget, compared by identity. */
  private static final class Forgotten {}
}
