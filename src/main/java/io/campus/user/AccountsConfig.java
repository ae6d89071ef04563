package io.campus.user;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Account self-service settings; each can be overridden by the matching environment variable. */
@ConfigMapping(prefix = "campus.accounts")
public interface AccountsConfig {

  /**
   * At most this many items per section of a data export ({@code GET /api/users/me/export}); a
   * section that had more says {@code "truncated": true}.
   */
  @WithDefault("1000")
  int exportMaxItems();
}
