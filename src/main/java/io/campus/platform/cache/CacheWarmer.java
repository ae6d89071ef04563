package io.campus.platform.cache;

import io.smallrye.mutiny.Uni;

/** A domain's way of pre-loading its hottest cache entries (after a deploy or a flush). */
public interface CacheWarmer {

  /** What it warms, e.g. "courses". */
  String name();

  /** Loads the entries through the cache; returns how many it touched. */
  Uni<Integer> warm(int concurrency);
}
