package io.campus.activity;

import com.fasterxml.jackson.core.type.TypeReference;
import io.campus.platform.cache.CacheKey;
import io.campus.platform.cache.CacheSpec;
import io.campus.platform.cache.CacheTags;
import io.campus.platform.cache.TwoLevelCache;
import io.campus.platform.common.Page;
import io.campus.user.UserView;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** The activity feed is written by the statements that cause each event; this side only reads. */
@ApplicationScoped
public class ActivityService {

  static final CacheSpec<Page<ActivityDtos.ActivityView>> FEEDS =
      CacheSpec.of("activity", new TypeReference<Page<ActivityDtos.ActivityView>>() {});

  private final ActivityRepository activity;
  private final TwoLevelCache cache;

  public ActivityService(ActivityRepository activity, TwoLevelCache cache) {
    this.activity = activity;
    this.cache = cache;
  }

  public Uni<Page<ActivityDtos.ActivityView>> mine(UserView caller, String cursor, int limit) {
    return cache
        .version(CacheTags.user(caller.id()))
        .chain(
            version ->
                cache.get(
                    FEEDS,
                    CacheKey.of(caller.id(), version, cursor, limit),
                    () -> activity.feed(caller.id(), cursor, limit)));
  }
}
