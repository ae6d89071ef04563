package io.campus.platform.jobs;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Background jobs. Schedules are read by the {@code @Scheduled} annotations from {@code
 * campus.jobs.<job>.cron} ({@code off} disables one): crons, so that every replica fires the same
 * slot and one claims it.
 */
@ConfigMapping(prefix = "campus.jobs")
public interface JobsConfig {

  @WithDefault("500")
  int batchSize();

  @WithDefault("4")
  int concurrency();

  /**
   * Runs of one scheduled slot in all. A run whose instance died is abandoned and its slot retaken
   * (run again); a slot whose runs were abandoned this many times is left FAILED instead, so a run
   * that kills its instance (out of memory) does not go on to kill one replica after another.
   */
  @WithDefault("3")
  int maxAttempts();

  /**
   * How long finished runs stay in {@code job_runs} (and the admin listing); the session clean-up
   * deletes older ones. At least a day, so a slot's row outlives the slot's own retries.
   */
  @WithDefault("P30D")
  java.time.Duration historyRetention();

  Schedule achievements();

  Schedule streakReset();

  Schedule sessionCleanup();

  Schedule auditRetention();

  interface Schedule {
    @WithDefault("off")
    String cron();

    @WithDefault("off")
    String every();
  }
}
