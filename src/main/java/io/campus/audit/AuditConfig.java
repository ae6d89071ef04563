package io.campus.audit;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** The audit log. */
@ConfigMapping(prefix = "campus.audit")
public interface AuditConfig {

  /**
   * How long audit rows are kept: the audit-retention job deletes older ones (failed logins are
   * written by anyone, so the table would otherwise grow without bound).
   */
  @WithDefault("P365D")
  Duration retention();
}
