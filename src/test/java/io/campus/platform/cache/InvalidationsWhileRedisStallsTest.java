package io.campus.platform.cache;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.campus.testsupport.RedisKeys;
import io.campus.testsupport.TestData;
import io.campus.user.Role;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import io.smallrye.faulttolerance.api.CircuitBreakerState;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A stalled Redis (SIGSTOP: every connection stays open, nothing answers) loses the evictions and
 * tag bumps made meanwhile, and the invalidation subscription survives it, so nothing re-subscribes
 * afterwards. Those invalidations are sent once Redis answers again, and until then this instance
 * serves nothing they would have invalidated.
 */
@QuarkusTest
@TestProfile(InvalidationsWhileRedisStallsTest.OwnRedis.class)
class InvalidationsWhileRedisStallsTest {

  public static class OwnRedis extends OwnRedisResources.Profile {
    @Override
    public Map<String, String> getConfigOverrides() {
      // A miss is remembered in L1 only briefly, so each read below asks Redis again.
      return Map.of("campus.cache.negative-ttl", "PT0.2S");
    }
  }

  static final CacheSpec<String> FILLER = CacheSpec.of("test-stall-filler", String.class);
  static final CacheSpec<String> PAGES = CacheSpec.of("test-stall-pages", String.class);

  @Inject TestData data;
  @Inject TwoLevelCache cache;
  @Inject CacheConfig config;
  @Inject CircuitBreakerMaintenance breakers;

  @ConfigProperty(name = "quarkus.redis.hosts")
  String redisUrl;

  @AfterEach
  void closeBreakers() {
    breakers.reset(RedisL2.BREAKER);
    breakers.reset(RedisL2.BATCH_BREAKER);
  }

  @Test
  void aSessionEndedWhileRedisStalledIsNotServedFromRedisAfterwards() throws Exception {
    TestData.Account admin = data.account(Role.ADMIN);
    TestData.Account student = data.account(Role.STUDENT);
    given().auth().oauth2(admin.token()).get("/api/auth/me").then().statusCode(200);
    given().auth().oauth2(student.token()).get("/api/auth/me").then().statusCode(200);
    String l2Key = sessionKey(student.token());
    assertThat(RedisKeys.command(redisUrl, "EXISTS", l2Key)).as(l2Key).isEqualTo(1L);
    Awaitility.await().atMost(Duration.ofSeconds(5)).until(cache::subscribed);

    OwnRedisResources.freezeRedis();
    try {
      openTheBatchBreaker();
      given()
          .auth()
          .oauth2(admin.token())
          .post("/api/admin/users/" + student.id() + "/disable")
          .then()
          .statusCode(200);
    } finally {
      OwnRedisResources.thawRedis();
    }

    // Never again the session of the disabled account, neither here nor from Redis.
    Awaitility.await()
        .during(Duration.ofSeconds(6))
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(100))
        .until(
            () ->
                given()
                        .auth()
                        .oauth2(student.token())
                        .get("/api/auth/me")
                        .then()
                        .extract()
                        .statusCode()
                    == 401);
    Awaitility.await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> Long.valueOf(0).equals(RedisKeys.command(redisUrl, "EXISTS", l2Key)));
    assertThat(cache.subscribed()).as("the subscription outlived the stall").isTrue();
  }

  @Test
  void aTagBumpedWhileRedisStalledIsBumpedInRedisOnceItAnswers() throws Exception {
    String tag = TestData.unique("stall-tag");
    long before = join(cache.version(tag));
    assertThat(join(cache.get(PAGES, CacheKey.of(tag, before), () -> item("old"))))
        .isEqualTo("old");

    OwnRedisResources.freezeRedis();
    try {
      openTheBatchBreaker();
      join(cache.bump(tag));
    } finally {
      OwnRedisResources.thawRedis();
    }

    // Until the bump reaches Redis, the version before it (and the entries under it) is not used.
    Awaitility.await()
        .during(Duration.ofSeconds(4))
        .atMost(Duration.ofSeconds(6))
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> {
              long version = join(cache.version(tag));
              return version != before
                  && "new"
                      .equals(join(cache.get(PAGES, CacheKey.of(tag, version), () -> item("new"))));
            });
    Awaitility.await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () ->
                String.valueOf(before + 1)
                    .equals(RedisKeys.command(redisUrl, "GET", config.keyPrefix() + "tag:" + tag)));
  }

  /** Writes that time out while Redis stalls, until the breaker of pipelined calls opens. */
  private void openTheBatchBreaker() {
    for (int i = 0;
        i < 20 && breakers.currentState(RedisL2.BATCH_BREAKER) != CircuitBreakerState.OPEN;
        i++) {
      join(cache.evict(FILLER, TestData.unique("filler")));
    }
    assertThat(breakers.currentState(RedisL2.BATCH_BREAKER)).isEqualTo(CircuitBreakerState.OPEN);
  }

  private String sessionKey(String token) throws Exception {
    byte[] hash =
        MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
    long generation = join(cache.version("cache:session"));
    return config.keyPrefix()
        + "c:session@"
        + generation
        + ":"
        + CacheKey.of(HexFormat.of().formatHex(hash));
  }

  private static Uni<String> item(String value) {
    return Uni.createFrom().item(value);
  }

  private static <T> T join(Uni<T> uni) {
    return uni.await().atMost(Duration.ofSeconds(10));
  }
}
