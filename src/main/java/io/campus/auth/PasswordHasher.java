package io.campus.auth;

import io.quarkus.elytron.security.common.BcryptUtil;
import io.quarkus.runtime.Startup;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * bcrypt hashing. Each hash costs tens of milliseconds of CPU, so it runs on a worker thread and
 * the result comes back on the caller's event-loop context.
 */
@Startup
@ApplicationScoped
public class PasswordHasher {

  private final Vertx vertx;
  private final int cost;
  // Compared against when the email is unknown, so a missing account takes as long as a wrong
  // password. Made at start-up (this bean is @Startup), never on an event loop.
  private final String dummyHash;

  public PasswordHasher(Vertx vertx, AuthConfig config) {
    this.vertx = vertx;
    this.cost = config.bcryptCost();
    this.dummyHash = BcryptUtil.bcryptHash("campus-timing-equaliser", cost);
  }

  public Uni<String> hash(String password) {
    return vertx.executeBlocking(() -> BcryptUtil.bcryptHash(password, cost), false);
  }

  /** Checks a password; a null hash (unknown account) is checked against a dummy and fails. */
  public Uni<Boolean> matches(String password, String hash) {
    return vertx.executeBlocking(
        () -> safeMatches(password, hash == null ? dummyHash : hash) && hash != null, false);
  }

  private static boolean safeMatches(String password, String hash) {
    try {
      return BcryptUtil.matches(password, hash);
    } catch (RuntimeException e) {
      return false;
    }
  }
}
