package io.campus.dashboard;

import io.campus.cache.CacheKey;
import io.campus.cache.CacheSpec;
import io.campus.cache.CacheTags;
import io.campus.cache.TwoLevelCache;
import io.campus.ops.DbGuard;
import io.campus.user.UserView;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

@ApplicationScoped
public class DashboardService {

  static final CacheSpec<DashboardDtos.Dashboard> DASHBOARDS =
      CacheSpec.of("dashboard", DashboardDtos.Dashboard.class);

  private final DashboardRepository dashboards;
  private final TwoLevelCache cache;
  private final DbGuard db;

  public DashboardService(DashboardRepository dashboards, TwoLevelCache cache, DbGuard db) {
    this.dashboards = dashboards;
    this.cache = cache;
    this.db = db;
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
                    () -> db.read(() -> dashboards.load(caller.id()))));
  }
}
