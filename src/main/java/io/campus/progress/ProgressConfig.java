package io.campus.progress;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Points earned by learning. */
@ConfigMapping(prefix = "campus.progress")
public interface ProgressConfig {
  /** Points a student earns for completing a lesson. */
  @WithDefault("10")
  int pointsPerLesson();

  /** Extra points for completing a whole course. */
  @WithDefault("100")
  int pointsPerCourse();
}
