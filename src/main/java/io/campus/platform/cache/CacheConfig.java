package io.campus.platform.cache;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** The two-level cache: Caffeine per instance (L1) over Redis (L2). */
@ConfigMapping(prefix = "campus.cache")
public interface CacheConfig {

  /**
   * Secret that authenticates every value Campus writes to Redis (HMAC-SHA256 over the key and the
   * value), so that whoever can write to Redis cannot forge sessions or roles. Give every instance
   * the same secret (at least 32 random bytes, from a secret store); without it each instance makes
   * a random one, which is safe but means instances cannot read each other's L2 values.
   */
  Optional<String> hmacKey();

  /** Use Redis as L2 and for cross-instance invalidation; false keeps caching in-process only. */
  @WithDefault("true")
  boolean redisEnabled();

  /** How long a Redis call may take before the cache goes on without it. */
  @WithDefault("PT0.05S")
  Duration redisTimeout();

  /** The same for several commands sent in one round trip. */
  @WithDefault("PT0.1S")
  Duration redisBatchTimeout();

  /**
   * Connections the cache keeps open to Redis, each carrying any number of commands at once
   * (pipelined), so calls never queue for a connection; the client's pool ({@code
   * quarkus.redis.max-pool-size}) serves only while one of them is being (re)opened.
   */
  @WithDefault("2")
  int redisConnections();

  /** Prefix of every Redis key Campus writes; bump the version part to orphan all old entries. */
  @WithDefault("campus:v1:")
  String keyPrefix();

  /** Pub/sub channel carrying invalidations to every instance's L1. */
  @WithDefault("campus:v1:invalidations")
  String channel();

  /** Upper bound on an L1 entry's life: how stale an instance can be if it missed a message. */
  @WithDefault("PT30S")
  Duration l1MaxTtl();

  @WithDefault("10000")
  long l1MaxSize();

  /** How long a miss (no such row) is remembered, so floods for missing keys skip the database. */
  @WithDefault("PT30S")
  Duration negativeTtl();

  /** Relative spread of TTLs (0.1 = ±10%) so keys written together do not expire together. */
  @WithDefault("0.1")
  double jitter();

  /** Life of the cross-instance load lock (SET NX PX). */
  @WithDefault("PT2S")
  Duration lockTtl();

  /**
   * While another instance holds the load lock: how often, and how many times, to look for its
   * value.
   */
  @WithDefault("PT0.025S")
  Duration lockPollInterval();

  @WithDefault("6")
  int lockPolls();

  /**
   * Delay before re-subscribing to invalidations after the Redis connection is lost, and between
   * attempts to send the invalidations that could not reach Redis.
   */
  @WithDefault("PT1S")
  Duration resubscribeDelay();

  /** TTL of caches without their own entry under {@code caches}. */
  @WithDefault("PT5M")
  Duration defaultTtl();

  /** Per-cache settings, by cache name. */
  Map<String, Named> caches();

  interface Named {
    Duration ttl();

    Optional<Long> l1MaxSize();

    /**
     * How long this instance keeps a value it has seen, to serve when loading a fresh one fails
     * (database down or saturated); unset serves no stale values.
     */
    Optional<Duration> staleIfError();
  }
}
