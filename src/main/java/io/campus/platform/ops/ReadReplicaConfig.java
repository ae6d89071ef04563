package io.campus.platform.ops;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/**
 * An optional read replica ({@code CAMPUS_DATASOURCE_READ_URL} etc.) for reads that tolerate a few
 * seconds of lag: the DB doctor's catalogue sections, course analytics, the global leaderboard.
 * Unset, they run on the primary pool.
 */
@ConfigMapping(prefix = "campus.datasource.read")
public interface ReadReplicaConfig {

  /**
   * Reactive URL of the replica, e.g. {@code postgresql://replica:5432/campus?sslmode=verify-full}.
   */
  Optional<String> url();

  /** Defaults to {@code quarkus.datasource.username} (a physical replica has the same roles). */
  Optional<String> username();

  /** Defaults to {@code quarkus.datasource.password}. */
  Optional<String> password();

  /** Connections of the replica pool per instance (count them in the connection budget). */
  @WithDefault("2")
  int maxSize();

  /** A replica read that has not answered by then is retried on the primary. */
  @WithDefault("PT1S")
  Duration timeout();

  /** Falling back to the primary is logged at most once per this period (and always counted). */
  @WithDefault("PT1M")
  Duration fallbackLogPeriod();
}
