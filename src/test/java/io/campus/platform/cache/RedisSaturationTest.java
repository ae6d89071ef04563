package io.campus.platform.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.campus.platform.ops.EventLoopLag;
import io.campus.testsupport.CampusTestResources;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.util.concurrent.EventExecutor;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import io.smallrye.faulttolerance.api.CircuitBreakerState;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Redis replies that wait behind our own busy event loops are our overload, not a Redis failure:
 * they must not open the Redis breaker (which would send every L1 miss to the database pool).
 */
@QuarkusTest
@WithTestResource(value = CampusTestResources.class, scope = TestResourceScope.GLOBAL)
class RedisSaturationTest {

  @Inject RedisL2 redis;
  @Inject EventLoopLag lag;
  @Inject Vertx vertx;
  @Inject CircuitBreakerMaintenance breakers;
  @Inject MeterRegistry registry;

  @AfterEach
  void closeBreaker() {
    breakers.reset(RedisL2.BREAKER);
  }

  @Test
  void timeoutsBehindSaturatedEventLoopsDoNotOpenTheRedisBreaker() throws Exception {
    Request get = Request.cmd(Command.GET).arg("campus:test:saturation:absent");
    assertThat(redis.send(get).await().atMost(Duration.ofSeconds(2)).available()).isTrue();
    Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> !lag.saturated());
    breakers.reset(RedisL2.BREAKER);
    double busyBefore = registry.counter("campus.cache.redis.busy").count();

    List<EventExecutor> loops = new ArrayList<>();
    vertx.getDelegate().nettyEventLoopGroup().forEach(loops::add);
    int calls = 15;
    for (int i = 0; i < calls; i++) {
      // Every event loop busy for 400 ms, as under a request flood: the Redis reply (and even the
      // write of the command) waits behind it, and the 50 ms call timeout expires. Long enough
      // that this thread, descheduled on a loaded machine, still sends while they are busy.
      CountDownLatch busy = new CountDownLatch(loops.size());
      for (EventExecutor loop : loops) {
        loop.execute(
            () -> {
              busy.countDown();
              long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(400);
              while (System.nanoTime() < until) {
                Thread.onSpinWait();
              }
            });
      }
      assertThat(busy.await(5, TimeUnit.SECONDS)).isTrue();
      RedisReply reply = redis.send(get).await().atMost(Duration.ofSeconds(5));
      assertThat(reply.available()).as("the call could not be answered in time").isFalse();
    }

    assertThat(breakers.currentState(RedisL2.BREAKER)).isEqualTo(CircuitBreakerState.CLOSED);
    assertThat(registry.counter("campus.cache.redis.busy").count() - busyBefore)
        .isGreaterThanOrEqualTo(calls);
    // Once the loops are free again Redis answers at once.
    Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> !lag.saturated());
    assertThat(redis.send(get).await().atMost(Duration.ofSeconds(2)).available()).isTrue();
  }
}
