package io.campus.leaderboard;

import io.campus.platform.cache.CacheKey;
import io.campus.platform.cache.CacheSpec;
import io.campus.platform.cache.CacheTags;
import io.campus.platform.cache.TwoLevelCache;
import io.campus.platform.common.PageSize;
import io.campus.user.UserView;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

@ApplicationScoped
public class LeaderboardService {

  static final int DEFAULT_LIMIT = 10;
  static final int MAX_LIMIT = 100;

  static final CacheSpec<LeaderboardDtos.Leaderboard> BOARDS =
      CacheSpec.of("leaderboard", LeaderboardDtos.Leaderboard.class);

  private final LeaderboardRepository leaderboard;
  private final String refreshInterval;
  private final TwoLevelCache cache;

  public LeaderboardService(
      LeaderboardRepository leaderboard, LeaderboardConfig config, TwoLevelCache cache) {
    this.leaderboard = leaderboard;
    this.refreshInterval = config.refreshInterval();
    this.cache = cache;
  }

  /** Parses {@code limit}: absent means {@value #DEFAULT_LIMIT}, anything invalid a 400. */
  public static int limit(String limit) {
    return PageSize.parse(limit, DEFAULT_LIMIT, MAX_LIMIT);
  }

  /** Cached per caller and limit until the next refresh bumps the leaderboard tag. */
  public Uni<LeaderboardDtos.Leaderboard> top(UserView caller, int limit) {
    return cache
        .version(CacheTags.LEADERBOARD)
        .chain(
            version ->
                cache.get(
                    BOARDS,
                    CacheKey.of(version, caller.id(), limit),
                    () ->
                        leaderboard
                            .top(caller.id(), limit)
                            .map(
                                s ->
                                    new LeaderboardDtos.Leaderboard(
                                        s.asOf(), refreshInterval, s.top(), s.me()))));
  }
}
