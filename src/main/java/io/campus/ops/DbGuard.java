package io.campus.ops;

import io.campus.common.ProblemException;
import io.smallrye.faulttolerance.api.CircuitBreakerName;
import io.smallrye.mutiny.Uni;
import io.vertx.pgclient.PgException;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.function.Supplier;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;

/**
 * Fault tolerance around database work. Reads and writes each have a named breaker ({@value
 * #READ_BREAKER}, {@value #WRITE_BREAKER}), so a dead database fails requests at once (503) and is
 * tried again by itself after the delay. Only reads — whole, idempotent units — are retried, and
 * only on connection-level failures, with backoff and jitter; a write is never repeated by us.
 * Errors the client caused (ProblemException) and SQL errors (constraint violations and the like)
 * do not count against the database.
 */
@ApplicationScoped
public class DbGuard {

  public static final String READ_BREAKER = "campus-db-read";
  public static final String WRITE_BREAKER = "campus-db-write";

  @Timeout(4000)
  @Retry(
      maxRetries = 2,
      delay = 50,
      jitter = 40,
      retryOn = {java.net.ConnectException.class, io.vertx.core.VertxException.class},
      abortOn = {ProblemException.class, PgException.class})
  @CircuitBreaker(
      requestVolumeThreshold = 20,
      failureRatio = 0.5,
      delay = 2000,
      successThreshold = 2,
      skipOn = {ProblemException.class, PgException.class})
  @CircuitBreakerName(READ_BREAKER)
  public <T> Uni<T> read(Supplier<Uni<T>> work) {
    return Uni.createFrom().deferred(() -> work.get());
  }

  @Timeout(4000)
  @CircuitBreaker(
      requestVolumeThreshold = 20,
      failureRatio = 0.5,
      delay = 2000,
      successThreshold = 2,
      skipOn = {ProblemException.class, PgException.class})
  @CircuitBreakerName(WRITE_BREAKER)
  public <T> Uni<T> write(Supplier<Uni<T>> work) {
    return Uni.createFrom().deferred(() -> work.get());
  }
}
