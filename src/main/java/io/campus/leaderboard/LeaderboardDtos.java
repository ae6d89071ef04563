package io.campus.leaderboard;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.OffsetDateTime;
import java.util.List;

/** Response bodies of the leaderboard. */
public final class LeaderboardDtos {

  private LeaderboardDtos() {}

  /** Users with equal points share a rank. */
  @RegisterForReflection
  public record Entry(long id, String displayName, int points, int rank) {}

  /**
   * The caller's standing: rank null until the caller has points and a refresh has ranked them;
   * points are those ranked, or the current points while unranked.
   */
  @RegisterForReflection
  public record Standing(long id, Integer rank, int points) {}

  /**
   * Ranks are recomputed every {@code refreshInterval} ({@code off}: only at start-up); {@code
   * asOf} is when the ranks shown were computed.
   */
  @RegisterForReflection
  public record Leaderboard(
      OffsetDateTime asOf, String refreshInterval, List<Entry> top, Standing me) {}
}
