package io.campus.platform.ops;

import com.github.benmanes.caffeine.cache.Cache;
import io.campus.platform.cache.LocalCaches;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;

/**
 * Token buckets per client, held per instance (bounded, idle buckets expire). A rejected call
 * learns how many seconds until a token is available.
 */
@ApplicationScoped
public class RateLimiter {

  private final Cache<String, Bucket> buckets =
      LocalCaches.builder().maximumSize(100_000).expireAfterAccess(Duration.ofMinutes(10)).build();

  /** Seconds to wait, or 0 when the call may go ahead. */
  public long acquire(String key, OpsConfig.RateLimit.Bucket limits) {
    return buckets
        .get(key, k -> new Bucket(limits.capacity(), System.nanoTime()))
        .take(limits.capacity(), limits.refillPerSecond());
  }

  private static final class Bucket {
    private double tokens;
    private long lastRefill;

    Bucket(double tokens, long now) {
      this.tokens = tokens;
      this.lastRefill = now;
    }

    synchronized long take(int capacity, double refillPerSecond) {
      long now = System.nanoTime();
      tokens = Math.min(capacity, tokens + (now - lastRefill) / 1e9 * refillPerSecond);
      lastRefill = now;
      if (tokens >= 1) {
        tokens -= 1;
        return 0;
      }
      return Math.max(1, (long) Math.ceil((1 - tokens) / refillPerSecond));
    }
  }
}
