package io.campus.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.campus.platform.common.ProblemException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.elytron.security.common.BcryptUtil;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.wildfly.security.password.interfaces.BCryptPassword;
import org.wildfly.security.password.util.ModularCrypt;

class PasswordHasherTest {

  @Test
  void theDummyHashIsAValidBcryptHashAtTheConfiguredCost() throws Exception {
    for (int cost : new int[] {4, 10, 12}) {
      String dummy = PasswordHasher.dummyHash(cost);
      // Decodes (a hash that did not would fail fast, and an unknown email would answer sooner).
      BCryptPassword decoded = (BCryptPassword) ModularCrypt.decode(dummy);
      assertThat(decoded.getIterationCount()).isEqualTo(cost);
      assertThat(BcryptUtil.matches("campus-timing-equaliser", dummy)).isFalse();
    }
  }

  @Test
  void checkingAgainstTheDummyCostsAsMuchAsAgainstARealHash() {
    String real = BcryptUtil.bcryptHash("kx7!vq2mzp4w", 8);
    String dummy = PasswordHasher.dummyHash(8);
    BcryptUtil.matches("warm-up-the-jit", real);
    BcryptUtil.matches("warm-up-the-jit", dummy);
    long realNanos = Long.MAX_VALUE;
    long dummyNanos = Long.MAX_VALUE;
    for (int i = 0; i < 3; i++) {
      long start = System.nanoTime();
      BcryptUtil.matches("wrong-password", real);
      long middle = System.nanoTime();
      BcryptUtil.matches("wrong-password", dummy);
      long end = System.nanoTime();
      realNanos = Math.min(realNanos, middle - start);
      dummyNanos = Math.min(dummyNanos, end - middle);
    }
    assertThat((double) dummyNanos).isBetween(realNanos * 0.5, realNanos * 2.0);
  }

  /**
   * bcrypt is pure CPU: a login storm hashing on every worker thread at once would starve the event
   * loops, and every other request with them. Hashes run on a few threads of their own, and past a
   * bounded queue a login is refused with 503 rather than waiting without end.
   */
  @Test
  void hashingRunsOnBoundedThreadsBehindABoundedQueue() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      SimpleMeterRegistry registry = new SimpleMeterRegistry();
      PasswordHasher hasher = new PasswordHasher(vertx, config(2, 3), registry);
      AtomicInteger running = new AtomicInteger();
      AtomicInteger most = new AtomicInteger();
      AtomicInteger started = new AtomicInteger();
      CountDownLatch release = new CountDownLatch(1);
      List<Uni<Integer>> tasks = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        tasks.add(
            hasher.onHashingThreads(
                () -> {
                  started.incrementAndGet();
                  most.accumulateAndGet(running.incrementAndGet(), Math::max);
                  release.await(10, TimeUnit.SECONDS);
                  running.decrementAndGet();
                  return 1;
                }));
      }
      List<java.util.concurrent.CompletableFuture<Integer>> results = new ArrayList<>();
      tasks.forEach(t -> results.add(t.subscribeAsCompletionStage()));
      // two threads take two tasks, three wait: a sixth is one too many
      Throwable refused =
          hasher
              .onHashingThreads(() -> 1)
              .onItemOrFailure()
              .transform((item, failure) -> failure)
              .await()
              .atMost(Duration.ofSeconds(5));
      assertThat(refused).isInstanceOf(ProblemException.class);
      assertThat(((ProblemException) refused).status()).isEqualTo(503);
      assertThat(registry.get("campus.auth.hashing.refused").counter().count()).isEqualTo(1);
      assertThat(registry.get("campus.auth.hashing.admitted").gauge().value()).isEqualTo(5);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (started.get() < 2 && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
      assertThat(started.get()).isEqualTo(2);
      release.countDown();
      for (var result : results) {
        assertThat(result.get(10, TimeUnit.SECONDS)).isEqualTo(1);
      }
      assertThat(most.get()).isEqualTo(2);
      assertThat(started.get()).isEqualTo(5);
      // the queue drained: hashing is accepted again
      assertThat(registry.get("campus.auth.hashing.admitted").gauge().value()).isZero();
      assertThat(hasher.onHashingThreads(() -> 7).await().atMost(Duration.ofSeconds(5)))
          .isEqualTo(7);
    } finally {
      vertx.closeAndAwait();
    }
  }

  private static AuthConfig config(int threads, int queue) {
    return new AuthConfig() {
      @Override
      public Duration tokenTtl() {
        return Duration.ofDays(7);
      }

      @Override
      public int bcryptCost() {
        return 4;
      }

      @Override
      public Duration idleTimeout() {
        return Duration.ofMinutes(30);
      }

      @Override
      public int maxSessions() {
        return 20;
      }

      @Override
      public String lastUseFlush() {
        return "off";
      }

      @Override
      public Duration passwordResetTtl() {
        return Duration.ofMinutes(30);
      }

      @Override
      public Duration emailConfirmationTtl() {
        return Duration.ofDays(2);
      }

      @Override
      public Duration mailInterval() {
        return Duration.ofMinutes(1);
      }

      @Override
      public Optional<String> accountLinkBase() {
        return Optional.empty();
      }

      @Override
      public Optional<Integer> hashingThreads() {
        return Optional.of(threads);
      }

      @Override
      public int hashingQueue() {
        return queue;
      }
    };
  }
}
