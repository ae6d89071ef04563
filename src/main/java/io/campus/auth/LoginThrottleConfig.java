package io.campus.auth;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Per-account limit on failed logins. */
@ConfigMapping(prefix = "campus.auth.login-throttle")
public interface LoginThrottleConfig {

  @WithDefault("true")
  boolean enabled();

  /** Failed logins of one account before it is locked. */
  @WithDefault("5")
  int maxFailures();

  /** The first lock; each further failure after it doubles the lock, up to max-lock. */
  @WithDefault("PT1M")
  Duration lock();

  @WithDefault("PT15M")
  Duration maxLock();

  /** The failure count is forgotten this long after the last failure (or the end of its lock). */
  @WithDefault("PT15M")
  Duration failureWindow();

  /** Accounts whose state one instance keeps while Redis is away. */
  @WithDefault("100000")
  long localMaxSize();
}
