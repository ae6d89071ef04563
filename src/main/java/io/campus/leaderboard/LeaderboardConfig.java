package io.campus.leaderboard;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Leaderboard refresh. */
@ConfigMapping(prefix = "campus.leaderboard")
public interface LeaderboardConfig {
  /**
   * How often leaderboard ranks are recomputed (e.g. {@code 60s}, {@code 5m}); {@code off} disables
   * the periodic refresh (ranks are still computed once at start-up).
   */
  @WithDefault("60s")
  String refreshInterval();
}
