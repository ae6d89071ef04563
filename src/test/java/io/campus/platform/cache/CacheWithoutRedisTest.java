package io.campus.platform.cache;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.campus.testsupport.TestData;
import io.campus.user.Role;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import io.smallrye.faulttolerance.api.CircuitBreakerState;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** Redis is an optimisation: with it gone the service still reads and writes, and recovers. */
@QuarkusTest
@TestProfile(CacheWithoutRedisTest.OwnRedis.class)
class CacheWithoutRedisTest {

  public static class OwnRedis extends OwnRedisResources.Profile {}

  @Inject TestData data;
  @Inject TwoLevelCache cache;
  @Inject CircuitBreakerMaintenance breakers;
  @Inject MeterRegistry registry;

  @Test
  void readsAndWritesSucceedWithoutRedisAndTheCacheRecovers() {
    TestData.Account mentor = data.account(Role.MENTOR);
    TestData.Account student = data.account(Role.STUDENT);
    TestData.CourseFixture warm = data.publishedCourse(mentor.id(), 2);
    given().get("/api/courses/" + warm.slug()).then().statusCode(200);
    Awaitility.await().atMost(Duration.ofSeconds(5)).until(cache::subscribed);
    double resubscribesBefore = registry.counter("campus.cache.resubscribes").count();

    OwnRedisResources.stopRedis();
    try {
      TestData.CourseFixture cold = data.publishedCourse(mentor.id(), 2);
      for (int i = 0; i < 15; i++) {
        given().get("/api/courses/" + cold.slug()).then().statusCode(200);
        given().get("/api/courses/" + warm.slug()).then().statusCode(200);
        given().auth().oauth2(student.token()).get("/api/auth/me").then().statusCode(200);
        given().queryParam("limit", 5).get("/api/courses").then().statusCode(200);
      }
      given()
          .auth()
          .oauth2(student.token())
          .contentType(ContentType.JSON)
          .body(Map.of("courseId", cold.id()))
          .post("/api/enrollments")
          .then()
          .statusCode(201);
      given()
          .auth()
          .oauth2(student.token())
          .post("/api/lessons/" + cold.lessonIds().get(0) + "/complete")
          .then()
          .statusCode(200);
      given()
          .auth()
          .oauth2(mentor.token())
          .contentType(ContentType.JSON)
          .body(
              Map.of(
                  "title",
                  "Renamed while Redis was down",
                  "category",
                  "testing",
                  "level",
                  "BEGINNER"))
          .put("/api/courses/" + warm.slug())
          .then()
          .statusCode(200);
      assertThat(breakers.currentState(RedisL2.BREAKER)).isEqualTo(CircuitBreakerState.OPEN);
      assertThat(cache.subscribed()).isFalse();
    } finally {
      OwnRedisResources.startRedis();
    }

    Awaitility.await()
        .atMost(Duration.ofSeconds(15))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              given().get("/api/courses/" + warm.slug()).then().statusCode(200);
              given()
                  .auth()
                  .oauth2(data.account(Role.STUDENT).token())
                  .get("/api/auth/me")
                  .then()
                  .statusCode(200);
              return breakers.currentState(RedisL2.BREAKER) == CircuitBreakerState.CLOSED
                  && cache.subscribed();
            });
    assertThat(registry.counter("campus.cache.resubscribes").count())
        .isGreaterThan(resubscribesBefore);
    // the change made while Redis was away is what every reader sees now
    given()
        .get("/api/courses/" + warm.slug())
        .then()
        .statusCode(200)
        .body("title", org.hamcrest.Matchers.equalTo("Renamed while Redis was down"));
  }
}
