package io.campus.platform.cache;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import io.campus.testsupport.CampusTestResources;
import io.campus.testsupport.PgWireCounter;
import io.campus.testsupport.Statements;
import io.campus.testsupport.TestData;
import io.campus.user.Role;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(value = CampusTestResources.class, scope = TestResourceScope.GLOBAL)
class CacheAdminResourceTest {

  @Inject TestData data;

  @Test
  void onlyAdminsWarmAndInvalidate() {
    given().post("/api/admin/cache/warm").then().statusCode(401);
    given()
        .auth()
        .oauth2(data.account(Role.STUDENT).token())
        .post("/api/admin/cache/warm")
        .then()
        .statusCode(403);
    given()
        .auth()
        .oauth2(data.account(Role.MENTOR).token())
        .post("/api/admin/cache/warm")
        .then()
        .statusCode(403);
    String admin = data.account(Role.ADMIN).token();
    given()
        .auth()
        .oauth2(admin)
        .post("/api/admin/cache/warm")
        .then()
        .statusCode(200)
        .body("entries.courses", greaterThan(0));
    given()
        .auth()
        .oauth2(admin)
        .post("/api/admin/cache/warm?concurrency=99")
        .then()
        .statusCode(400);

    given()
        .auth()
        .oauth2(admin)
        .contentType(ContentType.JSON)
        .body(Map.of("cache", "course-detail"))
        .post("/api/admin/cache/invalidate")
        .then()
        .statusCode(200)
        .body("cache", equalTo("course-detail"));
    given()
        .auth()
        .oauth2(admin)
        .contentType(ContentType.JSON)
        .body(Map.of("tag", "catalogue"))
        .post("/api/admin/cache/invalidate")
        .then()
        .statusCode(200);
    given()
        .auth()
        .oauth2(admin)
        .contentType(ContentType.JSON)
        .body(Map.of())
        .post("/api/admin/cache/invalidate")
        .then()
        .statusCode(400);
    given()
        .auth()
        .oauth2(admin)
        .contentType(ContentType.JSON)
        .body(Map.of("cache", "Bad Name!"))
        .post("/api/admin/cache/invalidate")
        .then()
        .statusCode(400);
    given()
        .auth()
        .oauth2(data.account(Role.STUDENT).token())
        .contentType(ContentType.JSON)
        .body(Map.of("tag", "x"))
        .post("/api/admin/cache/invalidate")
        .then()
        .statusCode(403);
  }

  @Test
  void invalidatingACacheMakesTheNextReadGoToTheDatabase() {
    TestData.CourseFixture course = data.publishedCourse(data.account(Role.MENTOR).id(), 1);
    given().get("/api/courses/" + course.slug()).then().statusCode(200);
    assertThat(
            Statements.count(
                    () -> given().get("/api/courses/" + course.slug()).then().statusCode(200))
                .statements())
        .isZero();
    given()
        .auth()
        .oauth2(data.account(Role.ADMIN).token())
        .contentType(ContentType.JSON)
        .body(Map.of("cache", "course-detail"))
        .post("/api/admin/cache/invalidate")
        .then()
        .statusCode(200);
    PgWireCounter.Counts after =
        Statements.count(() -> given().get("/api/courses/" + course.slug()).then().statusCode(200));
    assertThat(after.statements()).isEqualTo(1);
  }

  @Test
  void dataChangedOutsideTheApiShowsAfterInvalidatingEveryCache() {
    TestData.CourseFixture course = data.publishedCourse(data.account(Role.MENTOR).id(), 1);
    given().get("/api/courses/" + course.slug()).then().statusCode(200);
    given().queryParam("limit", 100).get("/api/courses").then().statusCode(200);
    String renamed = "Renamed by hand " + course.id();
    data.execute("update courses set title = $1 where id = $2", Tuple.of(renamed, course.id()));
    // Cached: an operator's SQL does not reach the caches by itself.
    given().get("/api/courses/" + course.slug()).then().body("title", not(equalTo(renamed)));

    given()
        .auth()
        .oauth2(data.account(Role.ADMIN).token())
        .contentType(ContentType.JSON)
        .body(Map.of("all", true))
        .post("/api/admin/cache/invalidate")
        .then()
        .statusCode(200)
        .body("all", equalTo(true));
    given().get("/api/courses/" + course.slug()).then().body("title", equalTo(renamed));
    given()
        .queryParam("limit", 100)
        .get("/api/courses")
        .then()
        .body("items.find { it.id == " + course.id() + " }.title", equalTo(renamed));
  }

  @Test
  void invalidateTakesExactlyOneTarget() {
    String admin = data.account(Role.ADMIN).token();
    for (Map<String, Object> body :
        List.<Map<String, Object>>of(
            Map.of("all", true, "tag", "catalogue"),
            Map.of("all", true, "cache", "course-detail"),
            Map.of("all", false))) {
      given()
          .auth()
          .oauth2(admin)
          .contentType(ContentType.JSON)
          .body(body)
          .post("/api/admin/cache/invalidate")
          .then()
          .statusCode(400)
          .contentType("application/problem+json");
    }
  }

  @Test
  void unknownCachesAndBlankTagsAreRefusedByNameAndNotAudited() {
    TestData.Account admin = data.account(Role.ADMIN);
    Map<String, Object> unknown = Map.of("cache", "nope");
    given()
        .auth()
        .oauth2(admin.token())
        .contentType(ContentType.JSON)
        .body(unknown)
        .post("/api/admin/cache/invalidate")
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("errors[0].field", equalTo("cache"))
        .body("errors[0].message", containsString("course-detail"))
        .body("errors[0].message", containsString("session"));
    for (String tag : List.of("", "   ")) {
      given()
          .auth()
          .oauth2(admin.token())
          .contentType(ContentType.JSON)
          .body(Map.of("tag", tag))
          .post("/api/admin/cache/invalidate")
          .then()
          .statusCode(400)
          .contentType("application/problem+json")
          .body("errors[0].field", equalTo("tag"));
    }
    assertThat(data.count("select count(*) from audit_log where actor_id = $1", admin.id()))
        .isZero();
  }

  @Test
  void publicReadsCarryETagsAndAnswer304() {
    TestData.CourseFixture course = data.publishedCourse(data.account(Role.MENTOR).id(), 1);
    String etag =
        given()
            .get("/api/courses/" + course.slug())
            .then()
            .statusCode(200)
            .header("Cache-Control", org.hamcrest.Matchers.containsString("max-age=60"))
            .extract()
            .header("ETag");
    assertThat(etag).isNotBlank();
    given()
        .header("If-None-Match", etag)
        .get("/api/courses/" + course.slug())
        .then()
        .statusCode(304);
    given()
        .header("If-None-Match", "W/\"other\"")
        .get("/api/courses/" + course.slug())
        .then()
        .statusCode(200);
    String pageTag =
        given().get("/api/courses?limit=5").then().statusCode(200).extract().header("ETag");
    given().header("If-None-Match", pageTag).get("/api/courses?limit=5").then().statusCode(304);
  }

  @Test
  void privateResponsesAreMarkedPrivate() {
    given()
        .auth()
        .oauth2(data.account(Role.STUDENT).token())
        .get("/api/auth/me")
        .then()
        .statusCode(200)
        .header("Cache-Control", startsWith("private"));
  }

  @Test
  void aWarmSessionLookupCostsNoStatement() {
    String token = data.account(Role.STUDENT).token();
    given().auth().oauth2(token).get("/api/auth/me").then().statusCode(200);
    assertThat(
            Statements.count(
                    () -> given().auth().oauth2(token).get("/api/auth/me").then().statusCode(200))
                .statements())
        .isZero();
  }

  @Test
  void aWarmDashboardCostsNoStatementAndAWriteShowsAtOnce() {
    TestData.Account mentor = data.account(Role.MENTOR);
    TestData.Account student = data.account(Role.STUDENT);
    TestData.CourseFixture course = data.publishedCourse(mentor.id(), 2);
    given()
        .auth()
        .oauth2(student.token())
        .contentType(ContentType.JSON)
        .body(Map.of("courseId", course.id()))
        .post("/api/enrollments")
        .then()
        .statusCode(201);
    given()
        .auth()
        .oauth2(student.token())
        .get("/api/dashboard")
        .then()
        .statusCode(200)
        .body("stats.points", equalTo(0));
    assertThat(
            Statements.count(
                    () ->
                        given()
                            .auth()
                            .oauth2(student.token())
                            .get("/api/dashboard")
                            .then()
                            .statusCode(200))
                .statements())
        .isZero();
    given()
        .auth()
        .oauth2(student.token())
        .post("/api/lessons/" + course.lessonIds().get(0) + "/complete")
        .then()
        .statusCode(200);
    given()
        .auth()
        .oauth2(student.token())
        .get("/api/dashboard")
        .then()
        .statusCode(200)
        .body("stats.points", equalTo(10));
  }
}
