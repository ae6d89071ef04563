package io.campus.assessment;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Bulk assessment limits and idempotency. */
@ConfigMapping(prefix = "campus.assessments")
public interface AssessmentsConfig {
  /** How long a stored Idempotency-Key answers retries with its first response. */
  @WithDefault("PT24H")
  Duration idempotencyTtl();

  /** Most items one bulk request may carry. */
  @WithDefault("1000")
  int maxBulkItems();
}
