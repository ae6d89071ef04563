package io.campus.enrollment;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.campus.leaderboard.LeaderboardRefresher;
import io.campus.platform.common.Problem;
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
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(value = CampusTestResources.class, scope = TestResourceScope.GLOBAL)
class LeavingAndUndoingTest {

  @Inject TestData data;
  @Inject LeaderboardRefresher refresher;

  private static void complete(TestData.Account who, long lessonId) {
    given()
        .auth()
        .oauth2(who.token())
        .post("/api/lessons/" + lessonId + "/complete")
        .then()
        .statusCode(200);
  }

  private static JsonPath dashboard(TestData.Account who) {
    return given()
        .auth()
        .oauth2(who.token())
        .get("/api/dashboard")
        .then()
        .statusCode(200)
        .extract()
        .jsonPath();
  }

  private static JsonPath mentorList(TestData.Account mentor) {
    return given()
        .auth()
        .oauth2(mentor.token())
        .get("/api/mentors/" + mentor.id() + "/students")
        .then()
        .statusCode(200)
        .extract()
        .jsonPath();
  }

  @Test
  void leavingKeepsProgressIsIdempotentAndReEnrollingResumes() {
    TestData.Account instructor = data.account(Role.MENTOR);
    TestData.Account mentor = data.account(Role.MENTOR);
    TestData.Account student = data.account(Role.STUDENT);
    data.assign(mentor.id(), student.id());
    TestData.CourseFixture course = data.publishedCourse(instructor.id(), 4);
    given()
        .auth()
        .oauth2(student.token())
        .contentType(ContentType.JSON)
        .body(Map.of("courseId", course.id()))
        .post("/api/enrollments")
        .then()
        .statusCode(201);
    complete(student, course.lessonIds().get(0));
    // cached views before leaving
    assertThat(dashboard(student).getString("enrollments[0].status")).isEqualTo("ACTIVE");
    assertThat(mentorList(mentor).getInt("items[0].enrollments")).isEqualTo(1);
    String path = "/api/enrollments/" + course.id();

    given().delete(path).then().statusCode(401);
    given()
        .auth()
        .oauth2(data.account(Role.STUDENT).token())
        .delete(path)
        .then()
        .statusCode(404)
        .contentType(Problem.MEDIA_TYPE);
    PgWireCounter.Counts leaving =
        Statements.count(
            () -> given().auth().oauth2(student.token()).delete(path).then().statusCode(204));
    assertThat(leaving.statements()).isEqualTo(1);
    given().auth().oauth2(student.token()).delete(path).then().statusCode(204);

    JsonPath after = dashboard(student);
    assertThat(after.getString("enrollments[0].status")).isEqualTo("CANCELLED");
    assertThat(after.getInt("enrollments[0].completedLessons")).isEqualTo(1);
    assertThat(after.getInt("stats.enrollments")).isZero();
    assertThat(after.getInt("stats.points")).isEqualTo(10);
    assertThat(mentorList(mentor).getInt("items[0].enrollments")).isZero();
    // a cancelled enrollment neither reads nor completes lessons
    given()
        .auth()
        .oauth2(student.token())
        .get("/api/courses/" + course.slug() + "/lessons/2")
        .then()
        .statusCode(403);
    given()
        .auth()
        .oauth2(student.token())
        .post("/api/lessons/" + course.lessonIds().get(1) + "/complete")
        .then()
        .statusCode(403);
    given().auth().oauth2(student.token()).get(path + "/resume").then().statusCode(404);

    given()
        .auth()
        .oauth2(student.token())
        .contentType(ContentType.JSON)
        .body(Map.of("courseId", course.id()))
        .post("/api/enrollments")
        .then()
        .statusCode(201)
        .body("status", equalTo("ACTIVE"))
        .body("completedLessons", equalTo(1))
        .body("progressPercent", equalTo(25));
    assertThat(dashboard(student).getInt("stats.enrollments")).isEqualTo(1);
    assertThat(mentorList(mentor).getInt("items[0].enrollments")).isEqualTo(1);
    assertThat(data.count("select count(*) from enrollments where user_id = $1", student.id()))
        .isEqualTo(1);

    // a completed course stays on the record
    for (int i = 1; i < 4; i++) {
      complete(student, course.lessonIds().get(i));
    }
    given().auth().oauth2(student.token()).delete(path).then().statusCode(422);
  }

  @Test
  void undoingACompletionTakesBackItsPointsButNotAwardedAchievements() {
    String prefix = TestData.unique("undo").toUpperCase(Locale.ROOT).replace('-', '_');
    data.execute(
        "insert into achievements (code, name, rule_type, threshold, points)"
            + " values ($1 || '_FIRST', 'First', 'LESSONS_COMPLETED', 1, 7)",
        Tuple.of(prefix));
    try {
      TestData.Account instructor = data.account(Role.MENTOR);
      TestData.Account student = data.account(Role.STUDENT);
      TestData.CourseFixture course = data.publishedCourse(instructor.id(), 2);
      data.enroll(student.id(), course.id());
      String undoFirst = "/api/lessons/" + course.lessonIds().get(0) + "/complete";
      given()
          .auth()
          .oauth2(student.token())
          .post(undoFirst)
          .then()
          .statusCode(200)
          .body("points", equalTo(10 + 7));
      complete(student, course.lessonIds().get(1));
      assertThat(dashboard(student).getInt("stats.points")).isEqualTo(2 * 10 + 100 + 7);

      given().delete(undoFirst).then().statusCode(401);
      given()
          .auth()
          .oauth2(data.account(Role.STUDENT).token())
          .delete(undoFirst)
          .then()
          .statusCode(403);
      given().auth().oauth2(instructor.token()).delete(undoFirst).then().statusCode(403);
      given()
          .auth()
          .oauth2(student.token())
          .delete("/api/lessons/999999999/complete")
          .then()
          .statusCode(404);
      PgWireCounter.Counts undo =
          Statements.count(
              () ->
                  given()
                      .auth()
                      .oauth2(student.token())
                      .delete(undoFirst)
                      .then()
                      .statusCode(200)
                      .body("undone", equalTo(true))
                      .body("enrollmentStatus", equalTo("ACTIVE"))
                      .body("completedLessons", equalTo(1))
                      .body("progressPercent", equalTo(50))
                      .body("points", equalTo(10 + 7)));
      assertThat(undo.statements()).isEqualTo(1);
      // again: nothing left to undo
      given()
          .auth()
          .oauth2(student.token())
          .delete(undoFirst)
          .then()
          .statusCode(200)
          .body("undone", equalTo(false))
          .body("points", equalTo(17));
      JsonPath after = dashboard(student);
      assertThat(after.getInt("stats.lessonsCompleted")).isEqualTo(1);
      assertThat(after.getInt("stats.coursesCompleted")).isZero();
      assertThat(after.getList("achievements.code", String.class)).contains(prefix + "_FIRST");
      assertThat(
              data.count(
                  "select count(*) from lesson_progress where user_id = $1 and status = 'IN_PROGRESS'",
                  student.id()))
          .isEqualTo(1);

      // completing it again completes the course again, with its points
      given()
          .auth()
          .oauth2(student.token())
          .post(undoFirst)
          .then()
          .statusCode(200)
          .body("courseCompleted", equalTo(true))
          .body("points", equalTo(2 * 10 + 100 + 7));
    } finally {
      data.execute("delete from achievements where code like $1", Tuple.of(prefix + "\\_%"));
    }
  }

  @Test
  void leaderboardPointsAreLessonsPlusCoursesPlusAchievements() {
    String prefix = TestData.unique("sum").toUpperCase(Locale.ROOT).replace('-', '_');
    data.execute(
        "insert into achievements (code, name, rule_type, threshold, points) values"
            + " ($1 || '_ONE', 'One', 'LESSONS_COMPLETED', 1, 5),"
            + " ($1 || '_THREE', 'Three', 'LESSONS_COMPLETED', 3, 20),"
            + " ($1 || '_COURSE', 'Course', 'COURSES_COMPLETED', 1, 50),"
            + " ($1 || '_NEVER', 'Never', 'LESSONS_COMPLETED', 1000000, 999)",
        Tuple.of(prefix));
    try {
      TestData.Account instructor = data.account(Role.MENTOR);
      TestData.Account student = data.account(Role.STUDENT);
      TestData.CourseFixture course = data.publishedCourse(instructor.id(), 3);
      data.enroll(student.id(), course.id());
      for (long lesson : course.lessonIds()) {
        complete(student, lesson);
      }
      refresh();
      JsonPath board =
          given()
              .auth()
              .oauth2(student.token())
              .get("/api/leaderboard")
              .then()
              .statusCode(200)
              .extract()
              .jsonPath();
      long lessons =
          data.count("select lessons_completed from user_stats where user_id = $1", student.id());
      long courses =
          data.count("select courses_completed from user_stats where user_id = $1", student.id());
      long achievements =
          data.count(
              "select coalesce(sum(a.points), 0) from user_achievements ua"
                  + " join achievements a on a.id = ua.achievement_id where ua.user_id = $1",
              student.id());
      assertThat(lessons).isEqualTo(3);
      assertThat(courses).isEqualTo(1);
      assertThat(achievements).isEqualTo(5 + 20 + 50);
      assertThat(board.getInt("me.points"))
          .isEqualTo((int) (lessons * 10 + courses * 100 + achievements));
      assertThat(board.getInt("me.rank")).isPositive();
    } finally {
      data.execute("delete from achievements where code like $1", Tuple.of(prefix + "\\_%"));
    }
  }

  private void refresh() {
    for (int attempt = 0; attempt < 100; attempt++) {
      if (refresher.refresh().await().indefinitely()) {
        return;
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    throw new AssertionError("the leaderboard lock was never free");
  }
}
