package io.campus;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Every Campus setting; each can be overridden by the matching environment variable. */
@ConfigMapping(prefix = "campus")
public interface CampusConfig {

  Auth auth();

  Pagination pagination();

  Progress progress();

  Assessments assessments();

  Leaderboard leaderboard();

  Demo demo();

  LocalFallback localFallback();

  interface Auth {
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
     * How often each instance writes the sessions' last use to the database, in one statement
     * ({@code 5s}, {@code off}); requests never write it themselves.
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
    java.util.Optional<String> accountLinkBase();
  }

  interface Pagination {
    @WithDefault("20")
    int defaultSize();

    @WithDefault("100")
    int maxSize();
  }

  interface Progress {
    /** Points a student earns for completing a lesson. */
    @WithDefault("10")
    int pointsPerLesson();

    /** Extra points for completing a whole course. */
    @WithDefault("100")
    int pointsPerCourse();
  }

  interface Assessments {
    /** How long a stored Idempotency-Key answers retries with its first response. */
    @WithDefault("PT24H")
    Duration idempotencyTtl();

    /** Most items one bulk request may carry. */
    @WithDefault("1000")
    int maxBulkItems();
  }

  interface Leaderboard {
    /**
     * How often leaderboard ranks are recomputed (e.g. {@code 60s}, {@code 5m}); {@code off}
     * disables the periodic refresh (ranks are still computed once at start-up).
     */
    @WithDefault("60s")
    String refreshInterval();
  }

  interface Demo {
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

  interface LocalFallback {
    /**
     * Start an embedded PostgreSQL (and Redis, when available) if nothing answers at the configured
     * addresses. Honoured in dev mode only; tests have their own fallback.
     */
    @WithDefault("true")
    boolean enabled();
  }
}
