package io.campus.leaderboard;

import io.campus.CampusConfig;
import io.campus.common.ProblemException;
import io.campus.user.UserView;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

@ApplicationScoped
public class LeaderboardService {

  static final int DEFAULT_LIMIT = 10;
  static final int MAX_LIMIT = 100;

  private final LeaderboardRepository leaderboard;
  private final String refreshInterval;

  public LeaderboardService(LeaderboardRepository leaderboard, CampusConfig config) {
    this.leaderboard = leaderboard;
    this.refreshInterval = config.leaderboard().refreshInterval();
  }

  /** Parses {@code limit}: absent means {@value #DEFAULT_LIMIT}, anything invalid a 400. */
  public static int limit(String limit) {
    if (limit == null || limit.isBlank()) {
      return DEFAULT_LIMIT;
    }
    int requested;
    try {
      requested = Integer.parseInt(limit.trim());
    } catch (NumberFormatException e) {
      requested = -1;
    }
    if (requested < 1 || requested > MAX_LIMIT) {
      throw ProblemException.invalidField("limit", "must be between 1 and " + MAX_LIMIT);
    }
    return requested;
  }

  public Uni<LeaderboardDtos.Leaderboard> top(UserView caller, int limit) {
    return leaderboard
        .top(caller.id(), limit)
        .map(s -> new LeaderboardDtos.Leaderboard(s.asOf(), refreshInterval, s.top(), s.me()));
  }
}
