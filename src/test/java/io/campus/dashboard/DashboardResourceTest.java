package io.campus.dashboard;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import io.campus.testsupport.CampusTestResources;
import io.campus.testsupport.PgWireCounter;
import io.campus.testsupport.Statements;
import io.campus.testsupport.TestData;
import io.campus.user.Role;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(value = CampusTestResources.class, scope = TestResourceScope.GLOBAL)
class DashboardResourceTest {

  @Inject TestData data;

  private JsonPath dashboard(String token) {
    return given()
        .auth()
        .oauth2(token)
        .get("/api/dashboard")
        .then()
        .statusCode(200)
        .extract()
        .jsonPath();
  }

  /** A student with 12 enrollments, progress, 7 achievements and certificates (one revoked). */
  private record Busy(
      TestData.Account student, List<Long> enrollmentIds, List<Long> certificates) {}

  private Busy busyStudent(String prefix) {
    TestData.Account mentor = data.account(Role.MENTOR);
    TestData.Account student = data.account(Role.STUDENT);
    List<Long> courses = new ArrayList<>();
    List<Long> enrollmentIds = new ArrayList<>();
    long firstLesson = 0;
    for (int i = 0; i < 12; i++) {
      TestData.CourseFixture course = data.publishedCourse(mentor.id(), 2);
      courses.add(course.id());
      if (i == 11) {
        firstLesson = course.lessonIds().get(0);
      }
      enrollmentIds.add(
          given()
              .auth()
              .oauth2(student.token())
              .contentType(ContentType.JSON)
              .body(Map.of("courseId", course.id()))
              .post("/api/enrollments")
              .then()
              .statusCode(201)
              .extract()
              .jsonPath()
              .getLong("id"));
    }
    // 7 achievements awarded by the next lesson completion
    data.execute(
        "insert into achievements (code, name, rule_type, threshold)"
            + " select $1 || '_' || g, 'Dash ' || g, 'LESSONS_COMPLETED', 1"
            + " from generate_series(1, 7) g",
        Tuple.of(prefix));
    given()
        .auth()
        .oauth2(student.token())
        .post("/api/lessons/" + firstLesson + "/complete")
        .then()
        .statusCode(200);
    List<Long> certificates = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      long courseId = courses.get(i);
      certificates.add(
          data.single(
                  "with ce as (insert into certifications (course_id, name)"
                      + " values ($2, 'Dash certificate') returning id)"
                      + " insert into user_certifications (user_id, certification_id,"
                      + " verification_code, issued_at)"
                      + " select $1, ce.id, $3, now() - make_interval(mins => $4) from ce"
                      + " returning id",
                  Tuple.of(
                      student.id(),
                      courseId,
                      TestData.unique("code").toUpperCase(Locale.ROOT),
                      10 - i))
              .getLong("id"));
    }
    data.execute(
        "update user_certifications set revoked = true where id = $1",
        Tuple.of(certificates.remove(0)));
    Collections.reverse(enrollmentIds);
    Collections.reverse(certificates);
    return new Busy(student, enrollmentIds, certificates);
  }

  @Test
  void dashboardShowsMyRecentEverythingInOneStatement() {
    String prefix = TestData.unique("DASH").toUpperCase(Locale.ROOT).replace('-', '_');
    try {
      Busy busy = busyStudent(prefix);
      TestData.Account fresh = data.account(Role.STUDENT);
      given().auth().oauth2(fresh.token()).get("/api/auth/me").then().statusCode(200);

      List<Long> activity = new ArrayList<>();
      PgWireCounter.Counts full =
          Statements.count(
              () -> {
                JsonPath d = dashboard(busy.student().token());
                assertThat(d.getList("enrollments.id", Long.class))
                    .isEqualTo(busy.enrollmentIds().subList(0, 10));
                assertThat(d.getInt("enrollments[0].progressPercent")).isEqualTo(50);
                assertThat(d.getInt("enrollments[0].completedLessons")).isEqualTo(1);
                assertThat(d.getString("enrollments[0].course.title")).isEqualTo("Test course");
                assertThat(d.getString("enrollments[0].course.instructorName"))
                    .isEqualTo("Test MENTOR");
                assertThat(d.getInt("stats.points")).isEqualTo(10);
                assertThat(d.getInt("stats.enrollments")).isEqualTo(12);
                assertThat(d.getInt("stats.lessonsCompleted")).isEqualTo(1);
                assertThat(d.getInt("stats.currentStreak")).isEqualTo(1);
                assertThat(d.getString("stats.lastActiveOn")).isNotNull();
                // awarded together: the newest definitions first
                assertThat(d.getList("achievements.code", String.class))
                    .containsExactly(
                        prefix + "_7", prefix + "_6", prefix + "_5", prefix + "_4", prefix + "_3");
                assertThat(d.getString("achievements[0].awardedAt")).isNotNull();
                activity.addAll(d.getList("activity.id", Long.class));
                List<String> types = d.getList("activity.type", String.class);
                // newest first: the completion and its awards, written by one statement
                assertThat(types.subList(0, 8))
                    .contains("LESSON_COMPLETED")
                    .containsOnly("ACHIEVEMENT_AWARDED", "LESSON_COMPLETED");
                assertThat(d.getList("certificates.id", Long.class)).isEqualTo(busy.certificates());
                assertThat(d.getString("certificates[0].verificationCode")).isNotNull();
              });
      // the same ten events as the first page of the feed
      assertThat(activity)
          .hasSize(10)
          .isEqualTo(
              given()
                  .auth()
                  .oauth2(busy.student().token())
                  .queryParam("limit", 10)
                  .get("/api/activity")
                  .then()
                  .statusCode(200)
                  .extract()
                  .jsonPath()
                  .getList("items.id", Long.class));
      PgWireCounter.Counts empty =
          Statements.count(
              () -> {
                JsonPath d = dashboard(fresh.token());
                assertThat(d.getList("enrollments")).isEmpty();
                assertThat(d.getList("achievements")).isEmpty();
                assertThat(d.getList("activity")).isEmpty();
                assertThat(d.getList("certificates")).isEmpty();
                assertThat(d.getInt("stats.points")).isZero();
                assertThat(d.getInt("stats.lessonsCompleted")).isZero();
                assertThat(d.getString("stats.lastActiveOn")).isNull();
              });
      // one statement when cold, however much there is to show (the session is cached)
      assertThat(full.statements()).isEqualTo(1);
      assertThat(full.roundTrips()).isEqualTo(1);
      assertThat(empty).isEqualTo(full);
    } finally {
      data.execute("delete from achievements where code like $1", Tuple.of(prefix + "\\_%"));
    }
  }

  @Test
  void whatTheInstructorChangesShowsOnTheStudentsDashboardAtOnce() {
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
    assertThat(dashboard(student.token()).getString("enrollments[0].course.title"))
        .isEqualTo("Test course");

    given()
        .auth()
        .oauth2(mentor.token())
        .contentType(ContentType.JSON)
        .body(Map.of("title", "Renamed course", "category", "science", "level", "ADVANCED"))
        .put("/api/courses/" + course.slug())
        .then()
        .statusCode(200);
    JsonPath renamed = dashboard(student.token());
    assertThat(renamed.getString("enrollments[0].course.title")).isEqualTo("Renamed course");
    assertThat(renamed.getString("enrollments[0].course.level")).isEqualTo("ADVANCED");

    given()
        .auth()
        .oauth2(mentor.token())
        .contentType(ContentType.JSON)
        .body(Map.of("lessons", List.of(Map.of("title", "One more"))))
        .post("/api/courses/" + course.slug() + "/lessons")
        .then()
        .statusCode(200);
    assertThat(dashboard(student.token()).getInt("enrollments[0].course.lessonCount")).isEqualTo(3);

    given()
        .auth()
        .oauth2(mentor.token())
        .contentType(ContentType.JSON)
        .body(Map.of("displayName", "Professor Renamed"))
        .patch("/api/users/me")
        .then()
        .statusCode(200);
    assertThat(dashboard(student.token()).getString("enrollments[0].course.instructorName"))
        .isEqualTo("Professor Renamed");
  }

  @Test
  void everyoneSeesOnlyTheirOwnDashboard() {
    String prefix = TestData.unique("DASHR").toUpperCase(Locale.ROOT).replace('-', '_');
    try {
      Busy busy = busyStudent(prefix);
      given().get("/api/dashboard").then().statusCode(401);
      given()
          .auth()
          .oauth2("not-a-token")
          .get("/api/dashboard")
          .then()
          .statusCode(401)
          .contentType("application/problem+json");
      assertThat(dashboard(busy.student().token()).getList("enrollments")).hasSize(10);
      for (Role role : Role.values()) {
        given()
            .auth()
            .oauth2(data.account(role).token())
            .get("/api/dashboard")
            .then()
            .statusCode(200)
            .body("enrollments.size()", equalTo(0))
            .body("achievements.size()", equalTo(0))
            .body("activity.size()", equalTo(0))
            .body("certificates.size()", equalTo(0))
            .body("stats.points", equalTo(0))
            .body("stats.lastActiveOn", nullValue());
      }
    } finally {
      data.execute("delete from achievements where code like $1", Tuple.of(prefix + "\\_%"));
    }
  }
}
