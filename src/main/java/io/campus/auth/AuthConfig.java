package io.campus.auth;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** Sessions, passwords and account mails. */
@ConfigMapping(prefix = "campus.auth")
public interface AuthConfig {
  /**
   * Threads that hash and check passwords (bcrypt is pure CPU, so a login storm on every worker
   * thread would starve the event loops). Unset: half the available processors, at least one.
   */
  Optional<Integer> hashingThreads();

  /** Hashes waiting for a hashing thread beyond which a login or password change gets a 503. */
  @WithDefault("256")
  int hashingQueue();

  /** How long a bearer token stays valid after login. */
  @WithDefault("P7D")
  Duration tokenTtl();

  /** bcrypt cost factor for password hashes. */
  @WithDefault("10")
  int bcryptCost();

  /** A session unused for longer than this is rejected (besides the absolute token-ttl). */
  @WithDefault("PT30M")
  Duration idleTimeout();

  /**
   * Sessions a user keeps open at once: a login past them ends the one used least recently, so an
   * account's sessions (and what ending them all costs) stay bounded.
   */
  @WithDefault("20")
  int maxSessions();

  /**
   * How often each instance writes the sessions' last use to the database, in one statement ({@code
   * 5s}, {@code off}); requests never write it themselves.
   */
  @WithDefault("5s")
  String lastUseFlush();

  /** How long a mailed password-reset token stays valid. */
  @WithDefault("PT30M")
  Duration passwordResetTtl();

  /** How long a mailed email-confirmation token stays valid. */
  @WithDefault("P2D")
  Duration emailConfirmationTtl();

  /** At most one account mail of each kind per account within this interval. */
  @WithDefault("PT1M")
  Duration mailInterval();

  /**
   * Where the web app confirms an email or resets a password; mails link to {@code
   * <base>/confirm-email?token=…} and {@code <base>/reset-password?token=…}. Unset: the mail
   * carries the token only.
   */
  Optional<String> accountLinkBase();
}
