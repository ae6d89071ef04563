package io.campus.platform.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A database unit's time limit runs on the caller's event loop and fails the way fault tolerance's
 * {@code @Timeout} did, so breakers and the problem mapping see the same exception.
 */
class UnitTimeoutTest {

  private static Vertx vertx;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
  }

  /** Subscribes on an event loop, as a request does, and reports what the caller got and where. */
  private static final AtomicInteger deliveries = new AtomicInteger();

  private static CompletableFuture<Object> onEventLoop(Uni<?> unit, AtomicReference<Thread> where) {
    CompletableFuture<Object> result = new CompletableFuture<>();
    vertx
        .getOrCreateContext()
        .runOnContext(
            ignored ->
                UnitTimeout.within(unit, Duration.ofMillis(200))
                    .subscribe()
                    .with(
                        item -> {
                          deliveries.incrementAndGet();
                          where.set(Thread.currentThread());
                          result.complete(item);
                        },
                        failure -> {
                          deliveries.incrementAndGet();
                          where.set(Thread.currentThread());
                          result.complete(failure);
                        }));
    return result;
  }

  @Test
  void aUnitThatNeverAnswersFailsWithTheFaultToleranceTimeoutOnItsEventLoop() throws Exception {
    AtomicReference<Thread> where = new AtomicReference<>();
    AtomicBoolean cancelled = new AtomicBoolean();
    Uni<String> silent =
        Uni.createFrom()
            .<String>emitter(e -> {})
            .onCancellation()
            .invoke(() -> cancelled.set(true));

    Object outcome = onEventLoop(silent, where).get(5, TimeUnit.SECONDS);

    assertThat(outcome).isInstanceOf(TimeoutException.class);
    assertThat(where.get().getName()).contains("eventloop");
    assertThat(cancelled).as("the statement on the wire is left to end by itself").isFalse();
  }

  @Test
  void anAnswerInTimeIsPassedOnAndTheTimerNeverFires() throws Exception {
    AtomicReference<Thread> where = new AtomicReference<>();
    Object outcome = onEventLoop(Uni.createFrom().item("row"), where).get(5, TimeUnit.SECONDS);
    assertThat(outcome).isEqualTo("row");

    IllegalStateException broken = new IllegalStateException("broken");
    assertThat(onEventLoop(Uni.createFrom().failure(broken), where).get(5, TimeUnit.SECONDS))
        .isSameAs(broken);
    // Past the limit nothing arrives a second time: the timers were cancelled.
    Thread.sleep(400);
    assertThat(deliveries).hasValue(2);
  }

  @Test
  void offTheEventLoopsTheLimitHoldsToo() {
    assertThatThrownBy(
            () ->
                UnitTimeout.within(
                        Uni.createFrom().<String>emitter(e -> {}), Duration.ofMillis(100))
                    .await()
                    .atMost(Duration.ofSeconds(5)))
        .isInstanceOf(TimeoutException.class);
  }
}
