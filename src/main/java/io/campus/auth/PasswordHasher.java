package io.campus.auth;

import io.campus.platform.common.ProblemException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.elytron.security.common.BcryptUtil;
import io.quarkus.runtime.Startup;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.WorkerExecutor;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * bcrypt hashing. Each hash costs tens of milliseconds of CPU, so it runs off the event loop and
 * the result comes back on the caller's context. Hashes get threads of their own ({@code
 * campus.auth.hashing-threads}), not the shared worker pool: a login storm hashing on dozens of
 * threads at once would leave the event loops a sliver of the CPU and slow every other request,
 * where a few threads leave them the rest. Past {@code campus.auth.hashing-queue} waiting hashes, a
 * login is refused with 503 and Retry-After instead of queueing without bound.
 */
// Created at start-up so a bad cost factor stops the start, not the first login.
@Startup
@ApplicationScoped
public class PasswordHasher {

  // Salt and checksum of some bcrypt hash (bcrypt's own base64: 22 characters of salt, then 31 of
  // checksum).
  private static final String DUMMY_SALT_AND_CHECKSUM =
      "c7mx0PW1pOTE4pR0AtwDU.lEr.Kd7YluSu96EMeOVlZASMM4qjCD6";

  private final WorkerExecutor hashing;
  private final int capacity;
  private final AtomicInteger admitted = new AtomicInteger();
  private final Counter refused;
  private final int cost;
  // Compared against when the email is unknown, so a missing account takes as long as a wrong
  // password: checking against it runs bcrypt at the configured cost, like a real hash (and the
  // answer is "no" whatever it computes). Built from a fixed salt and checksum rather than by
  // hashing a dummy password, which cost a full bcrypt run (~0.3 s of CPU on a cold JVM) on the
  // start-up path.
  private final String dummyHash;

  public PasswordHasher(Vertx vertx, AuthConfig config, MeterRegistry registry) {
    int threads =
        config.hashingThreads().orElse(Math.max(1, Runtime.getRuntime().availableProcessors() / 2));
    if (threads < 1 || config.hashingQueue() < 0) {
      throw new IllegalArgumentException(
          "campus.auth.hashing-threads must be at least 1 and hashing-queue at least 0");
    }
    this.hashing = vertx.createSharedWorkerExecutor("campus-password-hashing", threads);
    this.capacity = threads + config.hashingQueue();
    Gauge.builder("campus.auth.hashing.admitted", admitted, AtomicInteger::get)
        .description("Password checks and hashes running or waiting for a hashing thread")
        .register(registry);
    this.refused =
        Counter.builder("campus.auth.hashing.refused")
            .description("Logins and password changes refused (503): the hashing queue was full")
            .register(registry);
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
    return onHashingThreads(() -> BcryptUtil.bcryptHash(password, cost));
  }

  /** Checks a password; a null hash (unknown account) is checked against a dummy and fails. */
  public Uni<Boolean> matches(String password, String hash) {
    return onHashingThreads(
        () -> safeMatches(password, hash == null ? dummyHash : hash) && hash != null);
  }

  <T> Uni<T> onHashingThreads(Callable<T> work) {
    return Uni.createFrom()
        .deferred(
            () -> {
              if (admitted.incrementAndGet() > capacity) {
                admitted.decrementAndGet();
                refused.increment();
                return Uni.createFrom().failure(busy());
              }
              return hashing
                  .executeBlocking(work, false)
                  .onTermination()
                  .invoke(admitted::decrementAndGet);
            });
  }

  private static ProblemException busy() {
    return new ProblemException(
        503,
        "Service Unavailable",
        "Too many sign-ins are being checked at once; retry shortly.",
        null,
        1);
  }

  @PreDestroy
  void close() {
    hashing.closeAndForget();
  }

  private static boolean safeMatches(String password, String hash) {
    try {
      return BcryptUtil.matches(password, hash);
    } catch (RuntimeException e) {
      return false;
    }
  }
}
