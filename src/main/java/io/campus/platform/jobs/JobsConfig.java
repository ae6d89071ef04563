package io.campus.platform.jobs;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Background jobs. Schedules are read by the {@code @Scheduled} annotations from {@code
 * campus.jobs.<job>.cron}/{@code .every} ({@code off} disables one).
 */
@ConfigMapping(prefix = "campus.jobs")
public interface JobsConfig {

  @WithDefault("500")
  int batchSize();

  @WithDefault("4")
  int concurrency();

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
