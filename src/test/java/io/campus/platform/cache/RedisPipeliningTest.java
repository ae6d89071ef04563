package io.campus.platform.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import io.smallrye.faulttolerance.api.CircuitBreakerState;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Concurrent cache calls share Redis connections: a pooled connection carries one command per round
 * trip, so under load calls queued for the pool's connections (83 ms on average in the mix at 100
 * connections, past the 50 ms call timeout) and a burst beyond the pool's wait queue was refused
 * outright, each refusal a database load instead of a Redis hit.
 */
@QuarkusTest
// A Redis of its own: one test drops every client connection of the server.
@TestProfile(CacheWithoutRedisTest.OwnRedis.class)
class RedisPipeliningTest {

  private static final String KEY = "campus:test:pipelining";

  @Inject RedisL2 redis;
  @Inject Vertx vertx;
  @Inject CircuitBreakerMaintenance breakers;

  @ConfigProperty(name = "quarkus.redis.max-pool-size")
  int poolSize;

  @ConfigProperty(name = "quarkus.redis.max-pool-waiting")
  int poolWaiting;

  @AfterEach
  void closeBreakers() {
    breakers.reset(RedisL2.BREAKER);
    breakers.reset(RedisL2.BATCH_BREAKER);
  }

  @Test
  void aBurstLargerThanThePoolAndItsWaitQueueIsAnswered() throws Exception {
    Request set = Request.cmd(Command.SET).arg(KEY).arg("v");
    assertThat(redis.send(set).await().atMost(Duration.ofSeconds(2)).available()).isTrue();
    List<RedisReply> replies = answeredBurst();
    assertThat(replies.stream().filter(r -> !r.available()).count())
        .as("calls of %d at once answered without Redis", replies.size())
        .isZero();
    assertThat(replies).allMatch(r -> "v".equals(r.response().toString()));
    assertThat(breakers.currentState(RedisL2.BREAKER)).isEqualTo(CircuitBreakerState.CLOSED);
  }

  @Test
  void connectionsRedisDroppedAreReplaced() throws Exception {
    Request set = Request.cmd(Command.SET).arg(KEY).arg("v");
    assertThat(redis.send(set).await().atMost(Duration.ofSeconds(2)).available()).isTrue();
    // What a Redis restart or a network cut does to the connections the cache holds.
    Request killAll =
        Request.cmd(Command.CLIENT).arg("KILL").arg("TYPE").arg("normal").arg("SKIPME").arg("no");
    assertThat(redis.send(killAll).await().atMost(Duration.ofSeconds(2)).available()).isTrue();
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> answeredBurst().stream().allMatch(RedisReply::available));
  }

  /**
   * More calls at once than the pool's connections and wait queue hold. The same burst again, at
   * most a few times, until none went without Redis: a busy machine can delay a call past the call
   * timeout now and then, a refusal by the pool's wait queue happens every time.
   */
  private List<RedisReply> answeredBurst() throws Exception {
    int calls = poolSize + poolWaiting + 88;
    List<RedisReply> replies = List.of();
    for (int attempt = 0; attempt < 3; attempt++) {
      breakers.reset(RedisL2.BREAKER);
      replies = burst(calls);
      if (replies.stream().allMatch(RedisReply::available)) {
        break;
      }
    }
    assertThat(replies).hasSize(calls);
    return replies;
  }

  /** Calls issued together from one event loop, as the requests of one loop iteration are. */
  private List<RedisReply> burst(int calls) throws Exception {
    CompletableFuture<List<CompletableFuture<RedisReply>>> issued = new CompletableFuture<>();
    vertx
        .getDelegate()
        .getOrCreateContext()
        .runOnContext(
            ignored -> {
              List<CompletableFuture<RedisReply>> futures = new ArrayList<>(calls);
              for (int i = 0; i < calls; i++) {
                futures.add(
                    redis.send(Request.cmd(Command.GET).arg(KEY)).subscribeAsCompletionStage());
              }
              issued.complete(futures);
            });
    List<RedisReply> replies = new ArrayList<>(calls);
    for (CompletableFuture<RedisReply> future : issued.get(5, TimeUnit.SECONDS)) {
      replies.add(future.get(5, TimeUnit.SECONDS));
    }
    return replies;
  }
}
