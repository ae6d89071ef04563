package io.campus.leaderboard;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The start-up refresh comes from the schedule's first run, or, when the schedule is off, from the
 * start-up observer: never both (each start computed the ranks twice).
 */
class LeaderboardRefresherTest {

  @Test
  void theStartUpObserverRefreshesOnlyWhenNoScheduleDoes() {
    assertThat(LeaderboardRefresher.isScheduled("60s")).isTrue();
    assertThat(LeaderboardRefresher.isScheduled("5m")).isTrue();
    // the values for which Quarkus disables an "every" schedule
    assertThat(LeaderboardRefresher.isScheduled("off")).isFalse();
    assertThat(LeaderboardRefresher.isScheduled(" OFF ")).isFalse();
    assertThat(LeaderboardRefresher.isScheduled("disabled")).isFalse();
  }
}
