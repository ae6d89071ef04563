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

  /** Only ever the caller's own dashboard; cached until anything of the user changes. */
  public Uni<DashboardDtos.Dashboard> mine(UserView caller) {
    return cache
        .version(CacheTags.user(caller.id()))
        .chain(
            version ->
                cache.get(
                    DASHBOARDS,
                    CacheKey.of(caller.id(), version),
                    () -> dashboards.load(caller.id())));
  }
}
