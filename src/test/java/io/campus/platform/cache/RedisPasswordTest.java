package io.campus.platform.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * A password given as {@code quarkus.redis.password} (as {@code QUARKUS_REDIS_PASSWORD} from a
 * secret, say) reaches the cache's own clients too: the invalidation subscriber and the held
 * connections of {@link RedisPipeline}, not only the data client Quarkus builds.
 */
@QuarkusTest
@TestProfile(RedisPasswordTest.PasswordProtectedRedis.class)
class RedisPasswordTest {

  public static class PasswordProtectedRedis extends OwnRedisResources.Profile {
    @Override
    protected Map<String, String> redis() {
      return Map.of(OwnRedisResources.PASSWORD, "campus-cache-auth");
    }
  }

  @Inject TwoLevelCache cache;
  @Inject RedisPipeline pipeline;
  @Inject RedisL2 redis;
  @Inject CacheConfig config;

  @Test
  void theSubscriberAndTheHeldConnectionsAuthenticate() {
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> pipeline.held() == config.redisConnections());
    Request set = Request.cmd(Command.SET).arg("campus:test:password").arg("v");
    assertThat(redis.send(set).await().atMost(Duration.ofSeconds(2)).available()).isTrue();
    // What Redis counts, not what the client believes: an unauthenticated SUBSCRIBE is refused.
    Request subscribers = Request.cmd(Command.PUBSUB).arg("NUMSUB").arg(config.channel());
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              assertThat(cache.subscribed()).isTrue();
              RedisReply reply = redis.send(subscribers).await().atMost(Duration.ofSeconds(2));
              assertThat(reply.available()).isTrue();
              assertThat(reply.response().get(1).toLong()).isEqualTo(1L);
            });
  }
}
