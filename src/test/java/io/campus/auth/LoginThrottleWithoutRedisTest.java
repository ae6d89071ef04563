package io.campus.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.campus.platform.cache.OwnRedisResources;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** With Redis gone each instance keeps the lock itself: guessing does not get easier. */
@QuarkusTest
@TestProfile(LoginThrottleWithoutRedisTest.OwnRedisShortLocks.class)
class LoginThrottleWithoutRedisTest {

  public static class OwnRedisShortLocks extends LoginThrottleTest.ShortLocks {
    @Override
    public List<TestResourceEntry> testResources() {
      return List.of(new TestResourceEntry(OwnRedisResources.class));
    }

    @Override
    public boolean disableGlobalTestResources() {
      return true;
    }
  }

  @Inject CircuitBreakerMaintenance breakers;

  @Test
  void locksHoldInProcessWhileRedisIsDown() {
    String email = LoginThrottleTest.register();
    OwnRedisResources.stopRedis();
    try {
      for (int i = 0; i < 3; i++) {
        assertThat(LoginThrottleTest.login(email, "wrong password " + i).statusCode())
            .isEqualTo(401);
      }
      assertThat(LoginThrottleTest.login(email, LoginThrottleTest.PASSWORD).statusCode())
          .isEqualTo(429);
      Awaitility.await()
          .atMost(Duration.ofSeconds(5))
          .pollInterval(Duration.ofMillis(200))
          .until(
              () -> LoginThrottleTest.login(email, LoginThrottleTest.PASSWORD).statusCode() == 200);
    } finally {
      OwnRedisResources.startRedis();
      breakers.resetAll();
    }
  }

  @Test
  void failuresSeenBeforeRedisWentAwayStillCount() {
    String email = LoginThrottleTest.register();
    for (int i = 0; i < 2; i++) {
      assertThat(LoginThrottleTest.login(email, "wrong password " + i).statusCode()).isEqualTo(401);
    }
    OwnRedisResources.stopRedis();
    try {
      assertThat(LoginThrottleTest.login(email, "wrong password 3").statusCode()).isEqualTo(401);
      assertThat(LoginThrottleTest.login(email, LoginThrottleTest.PASSWORD).statusCode())
          .isEqualTo(429);
    } finally {
      OwnRedisResources.startRedis();
      breakers.resetAll();
    }
  }
}
