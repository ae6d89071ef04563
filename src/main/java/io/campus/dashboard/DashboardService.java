package io.campus.dashboard;

import io.campus.platform.cache.CacheKey;
import io.campus.platform.cache.CacheSpec;
import io.campus.platform.cache.CacheTags;
import io.campus.platform.cache.TwoLevelCache;
import io.campus.user.UserView;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

@ApplicationScoped
public class DashboardService {

  static final CacheSpec<DashboardDtos.Dashboard> DASHBOARDS =
      CacheSpec.of("dashboard", DashboardDtos.Dashboard.class);

  private final DashboardRepository dashboards;
  private final TwoLevelCache cache;

  public DashboardService(DashboardRepository dashboards, TwoLevelCache cache) {
    this.dashboards = dashboards;
    this.cache = cache;
  }

  /**
   * Only ever the caller's own dashboard; cached until anything of the user changes, or any course
   * does (it shows each course's title, lessons and instructor; bumping every enrolled student's
   * tag instead would cost one Redis write per student of a course).
   */
  public Uni<DashboardDtos.Dashboard> mine(UserView caller) {
    return cache
        .version(CacheTags.user(caller.id()))
        .chain(
            user ->
                cache
                    .version(CacheTags.CATALOGUE)
                    .chain(
                        courses ->
                            cache.get(
                                DASHBOARDS,
                                CacheKey.of(caller.id(), user, courses),
                                () -> dashboards.load(caller.id()))));
  }
}
