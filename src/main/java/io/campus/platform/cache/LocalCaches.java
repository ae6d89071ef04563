package io.campus.platform.cache;

import com.github.benmanes.caffeine.cache.Caffeine;

/** Where every in-process (Caffeine) cache of the service is built. */
public final class LocalCaches {

  private LocalCaches() {}

  /**
   * A Caffeine builder whose housekeeping (draining its buffers, evicting, expiring) runs on the
   * thread that triggers it, a few entries at a time, instead of being handed to the common
   * ForkJoinPool: on an event loop that hand-over costs a wake-up of a pool thread per batch of
   * cache reads (futex calls, ~4 % of a cached request's CPU) and a second thread competing for the
   * same cores. Nothing is blocking: no cache has a loader or a listener that does I/O.
   */
  public static Caffeine<Object, Object> builder() {
    return Caffeine.newBuilder().executor(Runnable::run);
  }
}
