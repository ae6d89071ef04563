package io.campus.leaderboard;

import io.campus.platform.jobs.BatchJob;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/** The leaderboard rebuild as an admin-triggerable job (its schedule lives with the refresher). */
@ApplicationScoped
public class LeaderboardRefreshJob implements BatchJob {

  private final LeaderboardRefresher refresher;

  public LeaderboardRefreshJob(LeaderboardRefresher refresher) {
    this.refresher = refresher;
  }

  @Override
  public String name() {
    return "leaderboard-refresh";
  }

  @Override
  public Uni<List<Long>> boundaries(int batchSize) {
    return Uni.createFrom().item(List.of(0L));
  }

  @Override
  public Uni<Long> batch(long fromExclusive, long toInclusive) {
    return refresher.refresh().map(refreshed -> refreshed ? 1L : 0L);
  }
}
