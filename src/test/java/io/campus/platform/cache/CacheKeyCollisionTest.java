package io.campus.platform.cache;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.campus.platform.common.Problem;
import io.campus.testsupport.CampusTestResources;
import io.campus.testsupport.TestData;
import io.campus.user.Role;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * No request input may land on the cache key of another request: after requests with odd values
 * (the string "null", empty, the old separator, very long, unicode) every cached listing still
 * answers what a cold cache answers.
 */
@QuarkusTest
@WithTestResource(value = CampusTestResources.class, scope = TestResourceScope.GLOBAL)
class CacheKeyCollisionTest {

  private static final List<String> ODD =
      List.of(
          "null",
          "",
          " ",
          "|",
          "|null|",
          "null|null",
          "b0|null",
          "x".repeat(300),
          // near the server's 4 KB request-line limit
          "x".repeat(3_000),
          "数学|🎓",
          "\u00e9\u0301",
          "%00",
          "20");

  @Inject TestData data;
  @Inject TwoLevelCache cache;

  @Test
  void oddCategoriesNeverReplaceTheUnfilteredCatalogue() {
    TestData.Account mentor = data.account(Role.MENTOR);
    data.publishedCourse(mentor.id(), 1);
    assertSameAnswerAsColdCache("course-page", "/api/courses", null, "category", Map.of());
    assertSameAnswerAsColdCache("course-page", "/api/courses", null, "level", Map.of());
    assertSameAnswerAsColdCache("course-page", "/api/courses", null, "sort", Map.of());
    assertSameAnswerAsColdCache("course-page", "/api/courses", null, "cursor", Map.of());
    assertSameAnswerAsColdCache("course-page", "/api/courses", null, "limit", Map.of());
  }

  @Test
  void unknownCategoryIsAProblemAndKnownOddCategoriesFilter() {
    TestData.Account mentor = data.account(Role.MENTOR);
    given()
        .queryParam("category", TestData.unique("no-such-category"))
        .get("/api/courses")
        .then()
        .statusCode(400)
        .contentType(Problem.MEDIA_TYPE);
    given()
        .queryParam("category", "x".repeat(61))
        .get("/api/courses")
        .then()
        .statusCode(400)
        .contentType(Problem.MEDIA_TYPE);

    // categories that look like the old key's pieces are ordinary categories
    for (String category :
        List.of("null", TestData.unique("a|b"), TestData.unique("数学 🎓"), "x".repeat(60))) {
      long id = data.course(mentor.id(), 1, "PUBLISHED", category, "BEGINNER", "Odd").id();
      cache.invalidateCache("course-page").await().atMost(Duration.ofSeconds(5));
      List<String> categories =
          given()
              .queryParam("category", category)
              .queryParam("limit", 100)
              .get("/api/courses")
              .then()
              .statusCode(200)
              .extract()
              .jsonPath()
              .getList("items.category", String.class);
      assertThat(categories).isNotEmpty().containsOnly(category);
      List<Long> all =
          given()
              .queryParam("limit", 5)
              .get("/api/courses")
              .then()
              .statusCode(200)
              .extract()
              .jsonPath()
              .getList("items.id", Long.class);
      assertThat(all).contains(id);
    }
  }

  @Test
  void oddSearchesAndCursorsOnEveryCachedListing() {
    TestData.Account mentor = data.account(Role.MENTOR);
    TestData.Account student = data.account(Role.STUDENT);
    TestData.CourseFixture course = data.publishedCourse(mentor.id(), 2);
    data.enroll(student.id(), course.id());
    data.assign(mentor.id(), student.id());
    String word = "odd" + TestData.unique("w").replaceAll("[^a-z]", "");
    data.course(mentor.id(), 1, "PUBLISHED", "zoology", "BEGINNER", "About " + word);

    assertSameAnswerAsColdCache("course-page", "/api/courses/search", null, "q", Map.of("q", word));
    assertSameAnswerAsColdCache(
        "course-page", "/api/courses/search", null, "cursor", Map.of("q", word));
    assertSameAnswerAsColdCache("achievements", "/api/achievements", student, "cursor", Map.of());
    assertSameAnswerAsColdCache("achievements", "/api/achievements", student, "limit", Map.of());
    assertSameAnswerAsColdCache("activity", "/api/activity", student, "cursor", Map.of());
    assertSameAnswerAsColdCache("activity", "/api/activity", student, "limit", Map.of());
    String students = "/api/mentors/" + mentor.id() + "/students";
    assertSameAnswerAsColdCache("mentor-students", students, mentor, "cursor", Map.of());
    assertSameAnswerAsColdCache("mentor-students", students, mentor, "limit", Map.of());
    assertSameAnswerAsColdCache("leaderboard", "/api/leaderboard", student, "limit", Map.of());
  }

  /**
   * Sends the odd values of {@code param} to a cold cache, then the plain request, and checks the
   * plain answer equals the one a cold cache gives.
   */
  private void assertSameAnswerAsColdCache(
      String cacheName,
      String path,
      TestData.Account caller,
      String param,
      Map<String, String> plain) {
    cache.invalidateCache(cacheName).await().atMost(Duration.ofSeconds(5));
    Map<String, String> others = new java.util.HashMap<>(plain);
    others.remove(param);
    for (String value : ODD) {
      Response odd = request(caller, others).queryParam(param, value).get(path);
      assertThat(odd.statusCode()).as("%s?%s=%.40s", path, param, value).isLessThan(500);
      if (odd.statusCode() >= 400) {
        assertThat(odd.contentType()).startsWith(Problem.MEDIA_TYPE);
      }
    }
    String afterOdd = request(caller, plain).get(path).then().statusCode(200).extract().asString();
    cache.invalidateCache(cacheName).await().atMost(Duration.ofSeconds(5));
    String cold = request(caller, plain).get(path).then().statusCode(200).extract().asString();
    assertThat(afterOdd).as("%s after odd %s values", path, param).isEqualTo(cold);
  }

  private static RequestSpecification request(TestData.Account caller, Map<String, String> plain) {
    RequestSpecification spec = given().queryParams(plain);
    return caller == null ? spec : spec.auth().oauth2(caller.token());
  }
}
