package io.campus.platform.cache;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.campus.testsupport.CampusTestResources;
import io.campus.testsupport.TestData;
import io.campus.user.Role;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A scripted realistic mix: 90% reads over Zipf-distributed keys, 10% writes. */
@QuarkusTest
@WithTestResource(value = CampusTestResources.class, scope = TestResourceScope.GLOBAL)
class CacheHitRateTest {

  private static final Set<String> CACHES = Set.of("course-detail", "course-page", "session");

  @Inject TestData data;
  @Inject MeterRegistry registry;

  @Test
  void hitRateOfARealisticMixIsAtLeastNinetyPercent() {
    TestData.Account mentor = data.account(Role.MENTOR);
    String category = TestData.unique("zipf");
    List<TestData.CourseFixture> courses = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      courses.add(
          data.course(
              mentor.id(),
              3,
              "PUBLISHED",
              category,
              i % 2 == 0 ? "BEGINNER" : "ADVANCED",
              "Zipf " + i));
    }
    List<TestData.Account> students = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      students.add(data.account(Role.STUDENT));
    }
    Random random = new Random(42);
    double[] before = lookupsAndHits();
    for (int i = 0; i < 1000; i++) {
      TestData.Account student = students.get(zipf(random, students.size()));
      TestData.CourseFixture course = courses.get(zipf(random, courses.size()));
      int roll = random.nextInt(100);
      if (roll < 55) {
        given().get("/api/courses/" + course.slug()).then().statusCode(200);
      } else if (roll < 75) {
        given()
            .queryParam("category", category)
            .queryParam("level", random.nextBoolean() ? "beginner" : "advanced")
            .get("/api/courses")
            .then()
            .statusCode(200);
      } else if (roll < 90) {
        given().auth().oauth2(student.token()).get("/api/auth/me").then().statusCode(200);
      } else {
        int status =
            given()
                .auth()
                .oauth2(student.token())
                .contentType(ContentType.JSON)
                .body(Map.of("courseId", course.id()))
                .post("/api/enrollments")
                .statusCode();
        assertThat(status).isIn(201, 409);
        given()
            .auth()
            .oauth2(student.token())
            .post("/api/lessons/" + course.lessonIds().get(0) + "/complete")
            .then()
            .statusCode(200);
      }
    }
    double[] after = lookupsAndHits();
    double lookups = after[0] - before[0];
    double hits = after[1] - before[1];
    double hitRate = hits / lookups;
    System.out.printf("cache hit rate %.3f over %.0f lookups%n", hitRate, lookups);
    assertThat(hitRate).isGreaterThanOrEqualTo(0.90);
  }

  /** Requests that reached the cache, and those answered by L1 or L2, from the metrics. */
  private double[] lookupsAndHits() {
    double lookups = 0;
    double hits = 0;
    for (Counter counter : registry.find("campus.cache.gets").counters()) {
      String cache = counter.getId().getTag("cache");
      if (!CACHES.contains(cache)) {
        continue;
      }
      String layer = counter.getId().getTag("layer");
      String result = counter.getId().getTag("result");
      if ("l1".equals(layer)) {
        lookups += counter.count();
      }
      if ("hit".equals(result)) {
        hits += counter.count();
      }
    }
    return new double[] {lookups, hits};
  }

  /** Rank 0 is the most popular; P(rank k) ∝ 1/(k+1). */
  private static int zipf(Random random, int n) {
    double total = 0;
    for (int k = 1; k <= n; k++) {
      total += 1.0 / k;
    }
    double target = random.nextDouble() * total;
    double sum = 0;
    for (int k = 1; k <= n; k++) {
      sum += 1.0 / k;
      if (sum >= target) {
        return k - 1;
      }
    }
    return n - 1;
  }
}
