package io.campus.platform.ops;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.campus.testsupport.CampusTestResources;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import io.smallrye.faulttolerance.api.CircuitBreakerState;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every breaker exists from start-up, before the guard it belongs to has run anything: readiness,
 * the {@code ft_*} gauges and an operator's reset ask for them by name. The breakers are built by
 * hand (to keep calls in their caller's task), and such a breaker used to come into being with its
 * guard's first call: asked for before that, fault tolerance answered IllegalArgumentException.
 */
@QuarkusTest
@WithTestResource(value = CampusTestResources.class, scope = TestResourceScope.GLOBAL)
@TestProfile(BreakersAtStartTest.FreshInstance.class)
class BreakersAtStartTest {

  /** An instance of its own, so that no other test has used its guards yet. */
  public static class FreshInstance implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("campus.test.fresh-instance", "true");
    }
  }

  @Inject CircuitBreakerMaintenance breakers;

  @Test
  void everyBreakerIsKnownAndClosedFromStartUp() {
    for (String name :
        List.of(
            DbGuard.READ_BREAKER, DbGuard.WRITE_BREAKER, "campus-redis", "campus-redis-batch")) {
      assertThat(breakers.currentState(name)).as(name).isEqualTo(CircuitBreakerState.CLOSED);
      breakers.reset(name);
    }
    given()
        .get("/q/health/ready")
        .then()
        .statusCode(200)
        .body("checks[0].data.dbBreakers", equalTo("closed/closed"))
        .body("checks[0].data.redisBreaker", equalTo("closed"));
  }
}
