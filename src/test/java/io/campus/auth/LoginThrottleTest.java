package io.campus.auth;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.campus.platform.cache.CacheConfig;
import io.campus.platform.cache.RedisL2;
import io.campus.platform.common.Problem;
import io.campus.platform.ops.ClientAddress;
import io.campus.testsupport.CampusTestResources;
import io.campus.testsupport.TestData;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** Repeated failed logins lock the account, on every instance, and the lock ends by itself. */
@QuarkusTest
@WithTestResource(value = CampusTestResources.class, scope = TestResourceScope.GLOBAL)
@TestProfile(LoginThrottleTest.ShortLocks.class)
class LoginThrottleTest {

  /** Three failures lock for one second, doubling up to two. */
  public static class ShortLocks implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          "campus.auth.login-throttle.max-failures", "3",
          "campus.auth.login-throttle.lock", "PT1S",
          "campus.auth.login-throttle.max-lock", "PT2S",
          "campus.auth.login-throttle.failure-window", "PT30S");
    }
  }

  static final String PASSWORD = "correct horse battery";

  @Inject LoginThrottle throttle;
  @Inject ClientAddress clients;
  @Inject LockEvents events;
  @Inject MeterRegistry registry;
  @Inject RedisL2 redis;
  @Inject LoginThrottleConfig config;
  @Inject CacheConfig cacheConfig;
  @Inject Event<LoginLocked> lockEvent;

  static String register() {
    return register(TestData.unique("lock") + "@example.org");
  }

  static String address() {
    return "10.97." + (int) (Math.random() * 250) + "." + (int) (Math.random() * 250);
  }

  static ExtractableResponse<Response> login(String email, String password) {
    return given()
        .header("X-Forwarded-For", address())
        .contentType(ContentType.JSON)
        .body(Map.of("email", email, "password", password))
        .post("/api/auth/login")
        .then()
        .extract();
  }

  @Test
  void failuresLockTheAccountEvenForTheRightPasswordUntilTheLockEnds() {
    String email = register();
    double refusedBefore = registry.counter("campus.auth.logins", "outcome", "locked").count();
    for (int i = 0; i < 3; i++) {
      assertThat(login(email, "wrong password " + i).statusCode()).isEqualTo(401);
    }
    // the lock was announced once, under the normalised email
    assertThat(events.of(email.toLowerCase())).hasSize(1);
    assertThat(events.of(email.toLowerCase()).get(0).lockedFor()).isEqualTo(Duration.ofSeconds(1));

    ExtractableResponse<Response> locked = login(" " + email.toUpperCase() + " ", PASSWORD);
    assertThat(locked.statusCode()).isEqualTo(429);
    assertThat(locked.contentType()).startsWith(Problem.MEDIA_TYPE);
    assertThat(locked.header("Retry-After")).isEqualTo("1");
    assertThat(registry.counter("campus.auth.logins", "outcome", "locked").count())
        .isEqualTo(refusedBefore + 1);

    // an account that does not exist answers the same
    String nobody = TestData.unique("nobody") + "@example.org";
    for (int i = 0; i < 3; i++) {
      assertThat(login(nobody, "wrong password " + i).statusCode()).isEqualTo(401);
    }
    ExtractableResponse<Response> lockedNobody = login(nobody, PASSWORD);
    assertThat(lockedNobody.statusCode()).isEqualTo(429);
    assertThat(lockedNobody.body().asString()).isEqualTo(locked.body().asString());

    // the lock ends by itself; a success clears the count
    Awaitility.await()
        .atMost(Duration.ofSeconds(5))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> login(email, PASSWORD).statusCode() == 200);
    for (int i = 0; i < 2; i++) {
      assertThat(login(email, "wrong again " + i).statusCode()).isEqualTo(401);
    }
    assertThat(login(email, PASSWORD).statusCode()).isEqualTo(200);
  }

  /**
   * Wrong passwords sent all at once get no more tries than sent one after another: each attempt
   * takes its place among the account's failures before its password is checked, so past
   * max-failures (3 here) the rest are refused at once.
   */
  @Test
  void wrongPasswordsSentAtOnceGetNoMoreTriesThanInARow() throws Exception {
    String email = register();
    int attempts = 12;
    ExecutorService pool = Executors.newFixedThreadPool(attempts);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<Integer>> answers = new ArrayList<>();
      for (int i = 0; i < attempts; i++) {
        String guess = "wrong password " + i;
        answers.add(
            pool.submit(
                () -> {
                  start.await();
                  return login(email, guess).statusCode();
                }));
      }
      start.countDown();
      List<Integer> statuses = new ArrayList<>();
      for (Future<Integer> answer : answers) {
        statuses.add(answer.get(30, TimeUnit.SECONDS));
      }
      assertThat(statuses).containsOnly(401, 429);
      assertThat(statuses.stream().filter(status -> status == 401).count()).isEqualTo(3);
    } finally {
      pool.shutdownNow();
    }
  }

  static String register(String email) {
    given()
        .header("X-Forwarded-For", address())
        .contentType(ContentType.JSON)
        .body(Map.of("email", email, "password", PASSWORD, "displayName", "L"))
        .post("/api/auth/register")
        .then()
        .statusCode(202);
    return email;
  }

  @Test
  void spellingsThatTheDatabaseTakesForTheSameAccountShareItsLock() {
    // PostgreSQL lower-cases İ to i and a final Σ to σ; Java's String.toLowerCase does not.
    String dotted = register(TestData.unique("vi") + "@example.org");
    for (int i = 0; i < 3; i++) {
      assertThat(login(dotted, "wrong password " + i).statusCode()).isEqualTo(401);
    }
    assertThat(login(dotted.replaceFirst("i", "\u0130"), PASSWORD).statusCode()).isEqualTo(429);

    String sigma = TestData.unique("s") + "x\u03c3@example.org";
    register(sigma);
    for (int i = 0; i < 3; i++) {
      assertThat(login(sigma, "wrong password " + i).statusCode()).isEqualTo(401);
    }
    assertThat(login(sigma.replace("\u03c3", "\u03a3"), PASSWORD).statusCode()).isEqualTo(429);
  }

  @Test
  void aSpellingOnlyTheDatabaseFoldsNeverReachesTheAccount() {
    // The database's case tables may know letters this JVM's do not (here U+2C2F, Unicode 14):
    // such a spelling would count its failures apart, so it must not log in either.
    String email = register(TestData.unique("g") + "\u2c5f@example.org");
    for (int i = 0; i < 3; i++) {
      assertThat(login(email, "wrong password " + i).statusCode()).isEqualTo(401);
    }
    assertThat(login(email.replace("\u2c5f", "\u2c2f"), PASSWORD).statusCode()).isIn(401, 429);
  }

  /**
   * A signed-in caller that must give the password again ({@code attempt}: token, password ->
   * status) guesses a login password: three wrong ones lock the account like failed logins.
   */
  private void wrongPasswordsLockTheAccount(BiFunction<String, String, Integer> attempt) {
    String email = register();
    String token = login(email, PASSWORD).path("token");
    for (int i = 0; i < 3; i++) {
      assertThat(attempt.apply(token, "wrong password " + i)).isEqualTo(403);
    }
    assertThat(attempt.apply(token, PASSWORD)).as("the right one during the lock").isEqualTo(429);
    assertThat(login(email, PASSWORD).statusCode()).isEqualTo(429);
  }

  @Test
  void wrongCurrentPasswordsOnAPasswordChangeLockTheAccountLikeFailedLogins() {
    wrongPasswordsLockTheAccount(LoginThrottleTest::changePassword);
  }

  @Test
  void wrongPasswordsOnAnAccountDeletionLockTheAccountLikeFailedLogins() {
    wrongPasswordsLockTheAccount(LoginThrottleTest::deleteAccount);
  }

  private static int deleteAccount(String token, String password) {
    return given()
        .auth()
        .oauth2(token)
        .contentType(ContentType.JSON)
        .body(Map.of("password", password))
        .delete("/api/users/me")
        .statusCode();
  }

  private static int changePassword(String token, String current) {
    return given()
        .auth()
        .oauth2(token)
        .contentType(ContentType.JSON)
        .body(
            Map.of(
                "currentPassword", current, "newPassword", "a fresh passphrase for the throttle"))
        .post("/api/auth/password")
        .statusCode();
  }

  @Test
  void eachFailureAfterALockDoublesItUpToTheMaximum() {
    String email = register();
    for (int i = 0; i < 3; i++) {
      login(email, "wrong password " + i);
    }
    Awaitility.await()
        .atMost(Duration.ofSeconds(5))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> login(email, "still wrong").statusCode() == 401);
    assertThat(events.of(email).stream().map(LoginLocked::lockedFor))
        .containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2));
    assertThat(login(email, PASSWORD).statusCode()).isEqualTo(429);
  }

  @Test
  void aSecondInstanceSharingRedisSeesTheLock() {
    LoginThrottle second =
        new LoginThrottle(
            redis, config, cacheConfig, lockEvent, clients, new SimpleMeterRegistry());
    String email = register();
    String account = LoginThrottle.accountKey(email);
    for (int i = 0; i < 3; i++) {
      login(email, "wrong password " + i);
    }
    assertThat(second.state(account).await().atMost(Duration.ofSeconds(2)).lockedMillis())
        .isPositive();

    // and the other way round: failures counted by the second instance lock logins here
    String other = register();
    for (int i = 0; i < 3; i++) {
      second
          .failed(LoginThrottle.accountKey(other), null, false)
          .await()
          .atMost(Duration.ofSeconds(2));
    }
    assertThat(login(other, PASSWORD).statusCode()).isEqualTo(429);
    assertThat(throttle.state(LoginThrottle.accountKey(other)).await().indefinitely().failures())
        .isEqualTo(3);
  }
}
