package io.campus.platform.demo;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The demo/benchmark data set. */
@ConfigMapping(prefix = "campus.demo")
public interface DemoConfig {
  /** Load demo data at start-up when the database has no courses yet (dev only). */
  @WithDefault("false")
  boolean loadOnStart();

  @WithDefault("1000")
  int users();

  @WithDefault("50")
  int mentors();

  @WithDefault("50")
  int courses();

  @WithDefault("8")
  int lessonsPerCourse();

  @WithDefault("5000")
  int enrollments();

  @WithDefault("20000")
  int lessonProgress();
}
