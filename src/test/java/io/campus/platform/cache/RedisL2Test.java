package io.campus.platform.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.campus.testsupport.CampusTestResources;
import io.campus.testsupport.RedisKeys;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import io.vertx.core.Context;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import jakarta.inject.Inject;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(value = CampusTestResources.class, scope = TestResourceScope.GLOBAL)
class RedisL2Test {

  @Inject RedisL2 redis;
  @Inject CacheConfig config;
  @Inject Vertx vertx;
  @Inject CircuitBreakerMaintenance breakers;

  @ConfigProperty(name = "quarkus.redis.hosts")
  String redisUrl;

  @AfterEach
  void closeBreaker() {
    breakers.reset(RedisL2.BREAKER);
  }

  /**
   * A call made on an event loop leaves for Redis within the caller's task and is answered on the
   * caller's context. Annotated, fault tolerance started every call in an event-loop task of its
   * own and handed the reply over in another; under load each such task waits behind all the input
   * the loop has yet to read, so every Redis round trip cost two extra passes of the loop. The
   * caller's task asks Redis over a socket of its own whether the command has arrived while that
   * task still runs: it can only have if the call did not wait for a later task.
   */
  @Test
  void aCallOnAnEventLoopLeavesWithinTheCallersTaskAndIsAnsweredOnItsContext() throws Exception {
    for (int round = 0; round < 4; round++) {
      String key = config.keyPrefix() + "test:l2-task:" + UUID.randomUUID();
      Context context = vertx.getDelegate().getOrCreateContext();
      CompletableFuture<Object> seenWithinTheTask = new CompletableFuture<>();
      CompletableFuture<Context> answeredOn = new CompletableFuture<>();
      context.runOnContext(
          ignored -> {
            redis
                .send(Request.cmd(Command.INCR).arg(key))
                .subscribe()
                .with(
                    reply -> answeredOn.complete(io.vertx.core.Vertx.currentContext()),
                    answeredOn::completeExceptionally);
            seenWithinTheTask.complete(valueWithin(key, 300));
          });
      assertThat(seenWithinTheTask.get(5, TimeUnit.SECONDS))
          .as("round %d: the counter as Redis had it while the caller's task still ran", round)
          .isEqualTo("1");
      assertThat(answeredOn.get(5, TimeUnit.SECONDS)).as("round %d", round).isSameAs(context);
    }
  }

  /** Alerts and the cache dashboard select the Redis breakers' metrics by these method tags. */
  @Test
  void theBreakersMetricsKeepTheMethodTagsAlertsSelect() {
    redis.send(Request.cmd(Command.PING)).await().atMost(java.time.Duration.ofSeconds(5));
    String metrics =
        io.restassured.RestAssured.given()
            .get("/q/metrics")
            .then()
            .statusCode(200)
            .extract()
            .asString();
    for (String method : List.of("send", "batch")) {
      assertThat(metrics)
          .as(method)
          .containsPattern(
              "ft_circuitbreaker_state_current\\{[^}]*method=\"io\\.campus\\.platform\\.cache\\.RedisL2\\."
                  + method
                  + "\"");
    }
  }

  /**
   * Blocks the calling thread (a test's event loop, on purpose) until the key exists or time is up.
   */
  private Object valueWithin(String key, long millis) {
    long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    try {
      Object value = RedisKeys.command(redisUrl, "GET", key);
      while (value == null && System.nanoTime() < until) {
        Thread.onSpinWait();
        value = RedisKeys.command(redisUrl, "GET", key);
      }
      return value;
    } catch (java.io.IOException e) {
      return e;
    }
  }
}
