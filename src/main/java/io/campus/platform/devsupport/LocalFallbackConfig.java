package io.campus.platform.devsupport;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Dev-mode fallbacks; read by {@link LocalFallbackConfigSourceFactory} before mappings exist,
 * declared here so the key is documented and validated.
 */
@ConfigMapping(prefix = "campus.local-fallback")
public interface LocalFallbackConfig {
  /**
   * Start an embedded PostgreSQL (and Redis, when available) if nothing answers at the configured
   * addresses. Honoured in dev mode only; tests have their own fallback.
   */
  @WithDefault("true")
  boolean enabled();
}
