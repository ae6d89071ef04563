package io.campus.platform.cache;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.campus.testsupport.CampusTestResources;
import io.campus.testsupport.TestData;
import io.campus.user.Role;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * Whoever can write to Redis must not be able to decide who a token belongs to or what role it has:
 * cached values are authenticated with a key Redis never sees, and bound to their own key.
 */
@QuarkusTest
@WithTestResource(value = CampusTestResources.class, scope = TestResourceScope.GLOBAL)
class RedisTamperingTest {

  @Inject TestData data;
  @Inject TwoLevelCache cache;
  @Inject RedisL2 redis;
  @Inject CacheConfig config;

  private static <T> T join(Uni<T> uni) {
    return uni.await().atMost(Duration.ofSeconds(10));
  }

  private String sessionKey(String token) throws Exception {
    long generation = join(cache.version("cache:session"));
    String hash =
        HexFormat.of()
            .formatHex(
                MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.UTF_8)));
    return config.keyPrefix() + "c:session@" + generation + ":" + CacheKey.of(hash);
  }

  private byte[] read(String key) {
    Response value = join(redis.send(Request.cmd(Command.GET).arg(key))).response();
    assertThat(value).as("cached in Redis: " + key).isNotNull();
    return value.toBytes();
  }

  private void write(String key, byte[] value) {
    join(redis.send(Request.cmd(Command.SET).arg(key).arg(value).arg("PX").arg(60_000)));
  }

  @Test
  void anAdminSessionCopiedToAnotherTokenIsNotTrusted() throws Exception {
    TestData.Account admin = data.account(Role.ADMIN);
    given().auth().oauth2(admin.token()).get("/api/auth/me").then().statusCode(200);
    // a token the database does not know (its session row is gone)
    TestData.Account stranger = data.account(Role.STUDENT);
    data.execute("delete from sessions where user_id = $1", Tuple.of(stranger.id()));

    write(sessionKey(stranger.token()), read(sessionKey(admin.token())));
    cache.clearLocal();

    given().auth().oauth2(stranger.token()).get("/api/admin/jobs/runs").then().statusCode(401);
    given().auth().oauth2(stranger.token()).get("/api/auth/me").then().statusCode(401);
  }

  @Test
  void aSessionWhoseRoleWasEditedInRedisIsNotTrusted() throws Exception {
    TestData.Account student = data.account(Role.STUDENT);
    given().auth().oauth2(student.token()).get("/api/auth/me").then().statusCode(200);
    String key = sessionKey(student.token());
    String stored = new String(read(key), StandardCharsets.UTF_8);
    assertThat(stored).contains("\"STUDENT\"");

    write(key, stored.replace("\"STUDENT\"", "\"ADMIN\"").getBytes(StandardCharsets.UTF_8));
    cache.clearLocal();

    given().auth().oauth2(student.token()).get("/api/admin/jobs/runs").then().statusCode(403);
    given()
        .auth()
        .oauth2(student.token())
        .get("/api/auth/me")
        .then()
        .statusCode(200)
        .body("role", org.hamcrest.Matchers.equalTo("STUDENT"));
  }

  @Test
  void aRevokedSessionPutBackIntoRedisIsNotTrusted() throws Exception {
    TestData.Account student = data.account(Role.STUDENT);
    given().auth().oauth2(student.token()).get("/api/auth/me").then().statusCode(200);
    String key = sessionKey(student.token());
    byte[] captured = read(key);

    given().auth().oauth2(student.token()).delete("/api/auth/sessions").then().statusCode(204);
    // authentic bytes, put back without an expiry by whoever can write to Redis
    join(redis.send(Request.cmd(Command.SET).arg(key).arg(captured)));

    given().auth().oauth2(student.token()).get("/api/auth/me").then().statusCode(401);
  }
}
