package io.campus.platform.common;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Page sizes of every list. */
@ConfigMapping(prefix = "campus.pagination")
public interface PaginationConfig {
  @WithDefault("20")
  int defaultSize();

  @WithDefault("100")
  int maxSize();
}
