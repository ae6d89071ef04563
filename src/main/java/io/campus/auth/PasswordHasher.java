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
// Created at start-up so a bad cost factor stops the start, not the first login.
@Startup
@ApplicationScoped
public class PasswordHasher {

  // Salt and checksum of some bcrypt hash (bcrypt's own base64: 22 characters of salt, then 31 of
  // checksum).
  private static final String DUMMY_SALT_AND_CHECKSUM =
      "c7mx0PW1pOTE4pR0AtwDU.lEr.Kd7YluSu96EMeOVlZASMM4qjCD6";

  private final Vertx vertx;
  private final int cost;
  // Compared against when the email is unknown, so a missing account takes as long as a wrong
  // password: checking against it runs bcrypt at the configured cost, like a real hash (and the
  // answer is "no" whatever it computes). Built from a fixed salt and checksum rather than by
  // hashing a dummy password, which cost a full bcrypt run (~0.3 s of CPU on a cold JVM) on the
  // start-up path.
  private final String dummyHash;

  public PasswordHasher(Vertx vertx, AuthConfig config) {
    this.vertx = vertx;
    this.cost = config.bcryptCost();
    if (cost < 4 || cost > 31) {
      throw new IllegalArgumentException(
          "campus.auth.bcrypt-cost must be between 4 and 31, not " + cost);
    }
    this.dummyHash = dummyHash(cost);
  }

  static String dummyHash(int cost) {
    return "$2a$" + (cost < 10 ? "0" : "") + cost + "$" + DUMMY_SALT_AND_CHECKSUM;
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
