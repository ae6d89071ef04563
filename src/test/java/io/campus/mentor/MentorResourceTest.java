package io.campus.mentor;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import io.campus.platform.common.Problem;
import io.campus.testsupport.Access;
import io.campus.testsupport.CampusTestResources;
import io.campus.testsupport.Jobs;
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
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(value = CampusTestResources.class, scope = TestResourceScope.GLOBAL)
class MentorResourceTest {

  @Inject TestData data;

  /**
   * {@code count} students assigned to the mentor, each with stats and two assessments, written in
   * a few set-based statements.
   */
  private void studentsWithHistory(long mentorId, int count) {
    String prefix = TestData.unique("pupil");
    data.execute(
        """
        with u as (
          insert into users (email, display_name, role, password_hash)
          select $2 || '-' || g || '@test.campus', 'Pupil ' || g, 'STUDENT', 'not-a-login-account'
          from generate_series(1, $3) g
          returning id),
        ma as (insert into mentor_assignments (mentor_id, student_id) select $1, id from u),
        st as (insert into user_stats (user_id, points, lessons_completed, assessments_received)
               select id, 10, 1, 2 from u)
        insert into assessments (student_id, mentor_id, skill, score, assessed_on)
        select u.id, $1, 'Skill ' || k, 50 + k, current_date from u, generate_series(1, 2) k
        """,
        Tuple.of(mentorId, prefix, count));
  }

  private static JsonPath students(TestData.Account viewer, long mentorId, String cursor) {
    var spec = given().auth().oauth2(viewer.token()).queryParam("limit", 100);
    if (cursor != null) {
      spec = spec.queryParam("cursor", cursor);
    }
    return spec.get("/api/mentors/" + mentorId + "/students")
        .then()
        .statusCode(200)
        .extract()
        .jsonPath();
  }

  @Test
  void studentListCostsTheSameStatementsForFiveOrTwoHundredStudents() {
    TestData.Account few = data.account(Role.MENTOR);
    TestData.Account many = data.account(Role.MENTOR);
    studentsWithHistory(few.id(), 5);
    studentsWithHistory(many.id(), 200);
    given().auth().oauth2(few.token()).get("/api/auth/me").then().statusCode(200);
    given().auth().oauth2(many.token()).get("/api/auth/me").then().statusCode(200);

    JsonPath[] page = new JsonPath[1];
    PgWireCounter.Counts five = Statements.count(() -> page[0] = students(few, few.id(), null));
    assertThat(page[0].getList("items")).hasSize(5);
    PgWireCounter.Counts firstHundred =
        Statements.count(() -> page[0] = students(many, many.id(), null));
    assertThat(page[0].getList("items")).hasSize(100);
    List<Long> ids = new ArrayList<>(page[0].getList("items.id", Long.class));
    String next = page[0].getString("next");
    PgWireCounter.Counts secondHundred =
        Statements.count(() -> page[0] = students(many, many.id(), next));
    ids.addAll(page[0].getList("items.id", Long.class));
    assertThat(page[0].getString("next")).isNull();

    // one statement when cold (the session is cached); a warm list costs none
    assertThat(five.statements()).isEqualTo(1);
    assertThat(Statements.count(() -> students(few, few.id(), null)).statements()).isZero();
    assertThat(firstHundred).isEqualTo(five);
    assertThat(secondHundred).isEqualTo(five);
    assertThat(ids).hasSize(200).doesNotHaveDuplicates().isSorted();
    assertThat(page[0].getInt("items[0].assessmentCount")).isEqualTo(2);
    assertThat(page[0].getDouble("items[0].averageScore")).isEqualTo(51.5);
  }

  @Test
  void studentSummariesCarryStatsAndAssessmentFigures() {
    TestData.Account mentor = data.account(Role.MENTOR);
    TestData.Account active = data.account(Role.STUDENT);
    TestData.Account fresh = data.account(Role.STUDENT);
    TestData.Account former = data.account(Role.STUDENT);
    data.assign(mentor.id(), active.id());
    data.assign(mentor.id(), fresh.id());
    data.assign(mentor.id(), former.id());
    data.execute(
        "update mentor_assignments set active = false where mentor_id = $1 and student_id = $2",
        Tuple.of(mentor.id(), former.id()));
    data.execute(
        "insert into user_stats (user_id, points, lessons_completed, courses_completed,"
            + " enrollments, current_streak, last_active_on) values ($1, 240, 14, 1, 3, 4,"
            + " date '2025-03-01')",
        Tuple.of(active.id()));
    data.execute(
        "insert into assessments (student_id, mentor_id, skill, score, assessed_on)"
            + " values ($1, $2, 'Reading', 80, current_date), ($1, $2, 'Writing', 91, current_date)",
        Tuple.of(active.id(), mentor.id()));

    given()
        .auth()
        .oauth2(mentor.token())
        .get("/api/mentors/" + mentor.id() + "/students")
        .then()
        .statusCode(200)
        .body("items.size()", equalTo(2))
        .body("items[0].id", equalTo((int) active.id()))
        .body("items[0].email", equalTo(active.email()))
        .body("items[0].displayName", equalTo("Test STUDENT"))
        .body("items[0].assignedAt", notNullValue())
        .body("items[0].points", equalTo(240))
        .body("items[0].lessonsCompleted", equalTo(14))
        .body("items[0].coursesCompleted", equalTo(1))
        .body("items[0].enrollments", equalTo(3))
        .body("items[0].currentStreak", equalTo(4))
        .body("items[0].lastActiveOn", equalTo("2025-03-01"))
        .body("items[0].assessmentCount", equalTo(2))
        .body("items[0].averageScore", equalTo(85.5f))
        .body("items[1].id", equalTo((int) fresh.id()))
        .body("items[1].points", equalTo(0))
        .body("items[1].lastActiveOn", nullValue())
        .body("items[1].assessmentCount", equalTo(0))
        .body("items[1].averageScore", nullValue())
        .body("next", nullValue());
  }

  @Test
  void aCachedStudentListFollowsTheStudentsEnrollmentsAndCompletions() {
    TestData.Account mentor = data.account(Role.MENTOR);
    TestData.Account student = data.account(Role.STUDENT);
    data.assign(mentor.id(), student.id());
    TestData.CourseFixture course = data.publishedCourse(mentor.id(), 2);
    assertThat(studentSummary(mentor).getInt("enrollments")).isZero(); // now cached

    given()
        .auth()
        .oauth2(student.token())
        .contentType(ContentType.JSON)
        .body(Map.of("courseId", course.id()))
        .post("/api/enrollments")
        .then()
        .statusCode(201);
    assertThat(studentSummary(mentor).getInt("enrollments")).isEqualTo(1);

    given()
        .auth()
        .oauth2(student.token())
        .post("/api/lessons/" + course.lessonIds().get(0) + "/complete")
        .then()
        .statusCode(200);
    assertThat(studentSummary(mentor).getInt("lessonsCompleted")).isEqualTo(1);
  }

  /**
   * Assessments by anyone (an admin, another of the student's mentors) change the figures on every
   * list the student is on, not only on the assessing mentor's.
   */
  @Test
  void aCachedStudentListFollowsAssessmentsOthersRecord() {
    TestData.Account admin = data.account(Role.ADMIN);
    TestData.Account mentor = data.account(Role.MENTOR);
    TestData.Account otherMentor = data.account(Role.MENTOR);
    TestData.Account student = data.account(Role.STUDENT);
    assign(admin, mentor.id(), student.id()).then().statusCode(201);
    assign(admin, otherMentor.id(), student.id()).then().statusCode(201);
    assertThat(studentSummary(mentor).getInt("assessmentCount")).isZero(); // now cached

    assess(admin, student.id(), 80);
    assertThat(studentSummary(mentor).getInt("assessmentCount")).isEqualTo(1);

    assess(otherMentor, student.id(), 90);
    JsonPath summary = studentSummary(mentor);
    assertThat(summary.getInt("assessmentCount")).isEqualTo(2);
    assertThat(summary.getFloat("averageScore")).isEqualTo(85f);
  }

  /** Points the achievements job awards show on the mentor's cached list at once. */
  @Test
  void aCachedStudentListFollowsWhatTheAchievementsJobAwards() {
    TestData.Account admin = data.account(Role.ADMIN);
    TestData.Account mentor = data.account(Role.MENTOR);
    TestData.Account student = data.account(Role.STUDENT);
    assign(admin, mentor.id(), student.id()).then().statusCode(201);
    // a threshold no other test's user reaches
    int threshold = 900_000_000 + (int) (System.nanoTime() % 1_000_000);
    data.execute(
        "insert into user_stats (user_id, enrollments) values ($1, $2)"
            + " on conflict (user_id) do update set enrollments = $2",
        Tuple.of(student.id(), threshold));
    int before = studentSummary(mentor).getInt("points"); // now cached
    given()
        .auth()
        .oauth2(admin.token())
        .contentType(ContentType.JSON)
        .body(
            Map.of(
                "code",
                TestData.unique("JOB").toUpperCase().replaceAll("[^A-Z0-9]", "_"),
                "name",
                "Many enrollments",
                "ruleType",
                "ENROLLMENTS",
                "threshold",
                threshold,
                "points",
                40))
        .post("/api/admin/achievements")
        .then()
        .statusCode(201);

    Jobs.runAndWait(admin.token(), "achievements-recalculation");

    assertThat(studentSummary(mentor).getInt("points")).isEqualTo(before + 40);
  }

  private static void assess(TestData.Account who, long studentId, int score) {
    given()
        .auth()
        .oauth2(who.token())
        .contentType(ContentType.JSON)
        .body(Map.of("studentId", studentId, "skill", TestData.unique("skill"), "score", score))
        .post("/api/assessments")
        .then()
        .statusCode(201);
  }

  /** The first student on the mentor's list, as the mentor sees it. */
  private static JsonPath studentSummary(TestData.Account mentor) {
    return given()
        .auth()
        .oauth2(mentor.token())
        .get("/api/mentors/" + mentor.id() + "/students")
        .then()
        .statusCode(200)
        .extract()
        .jsonPath()
        .setRootPath("items[0]");
  }

  @Test
  void studentListPaginatesByStudentId() {
    TestData.Account mentor = data.account(Role.MENTOR);
    studentsWithHistory(mentor.id(), 5);
    List<Long> ids = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      var spec = given().auth().oauth2(mentor.token()).queryParam("limit", 2);
      if (cursor != null) {
        spec = spec.queryParam("cursor", cursor);
      }
      JsonPath page =
          spec.get("/api/mentors/" + mentor.id() + "/students")
              .then()
              .statusCode(200)
              .extract()
              .jsonPath();
      ids.addAll(page.getList("items.id", Long.class));
      cursor = page.getString("next");
      pages++;
    } while (cursor != null);
    assertThat(pages).isEqualTo(3);
    assertThat(ids).hasSize(5).doesNotHaveDuplicates().isSorted();
  }

  @Test
  void roleMatrixForAMentorsStudents() {
    TestData.Account student = data.account(Role.STUDENT);
    TestData.Account otherStudent = data.account(Role.STUDENT);
    TestData.Account mentor = data.account(Role.MENTOR);
    TestData.Account otherMentor = data.account(Role.MENTOR);
    TestData.Account admin = data.account(Role.ADMIN);
    data.assign(mentor.id(), student.id());
    String path = "/api/mentors/" + mentor.id() + "/students";

    given().get(path).then().statusCode(401).contentType(Problem.MEDIA_TYPE);
    for (TestData.Account allowed : List.of(mentor, admin)) {
      given()
          .auth()
          .oauth2(allowed.token())
          .get(path)
          .then()
          .statusCode(200)
          .body("items.size()", equalTo(1))
          .body("items[0].id", equalTo((int) student.id()));
    }
    Access.assertForbidden(path, List.of(student, otherStudent, otherMentor));
    // a user's own id is not enough without the mentor role
    given()
        .auth()
        .oauth2(student.token())
        .get("/api/mentors/" + student.id() + "/students")
        .then()
        .statusCode(403);
    given()
        .auth()
        .oauth2(admin.token())
        .get("/api/mentors/999999999/students")
        .then()
        .statusCode(404)
        .contentType(Problem.MEDIA_TYPE);
  }

  @Test
  void roleMatrixForAStudentsMentors() {
    TestData.Account student = data.account(Role.STUDENT);
    TestData.Account otherStudent = data.account(Role.STUDENT);
    TestData.Account mentor = data.account(Role.MENTOR);
    TestData.Account secondMentor = data.account(Role.MENTOR);
    TestData.Account otherMentor = data.account(Role.MENTOR);
    TestData.Account admin = data.account(Role.ADMIN);
    data.assign(mentor.id(), student.id());
    data.assign(secondMentor.id(), student.id());
    data.assign(otherMentor.id(), otherStudent.id());
    String path = "/api/students/" + student.id() + "/mentors";

    given().get(path).then().statusCode(401);
    given().auth().oauth2(student.token()).get(path).then().statusCode(200); // warm up
    for (TestData.Account allowed : List.of(student, mentor, admin)) {
      PgWireCounter.Counts counts =
          Statements.count(
              () ->
                  given()
                      .auth()
                      .oauth2(allowed.token())
                      .get(path)
                      .then()
                      .statusCode(200)
                      .body("items.size()", equalTo(2))
                      .body("items[0].id", equalTo((int) mentor.id()))
                      .body("items[0].email", equalTo(mentor.email()))
                      .body("items[0].assignedAt", notNullValue())
                      .body("items[1].id", equalTo((int) secondMentor.id())));
      assertThat(counts.statements()).isLessThanOrEqualTo(2);
    }
    Access.assertForbidden(path, List.of(otherStudent, otherMentor));
    given()
        .auth()
        .oauth2(admin.token())
        .get("/api/students/999999999/mentors")
        .then()
        .statusCode(404);

    // paging: one mentor per page
    JsonPath first =
        given()
            .auth()
            .oauth2(student.token())
            .queryParam("limit", 1)
            .get(path)
            .then()
            .statusCode(200)
            .body("items[0].id", equalTo((int) mentor.id()))
            .extract()
            .jsonPath();
    given()
        .auth()
        .oauth2(student.token())
        .queryParam("limit", 1)
        .queryParam("cursor", first.getString("next"))
        .get(path)
        .then()
        .statusCode(200)
        .body("items[0].id", equalTo((int) secondMentor.id()))
        .body("next", nullValue());

    // an ended assignment ends the mentor's access and hides the mentor
    data.execute(
        "update mentor_assignments set active = false where mentor_id = $1", Tuple.of(mentor.id()));
    given().auth().oauth2(mentor.token()).get(path).then().statusCode(403);
    given()
        .auth()
        .oauth2(student.token())
        .get(path)
        .then()
        .statusCode(200)
        .body("items.size()", equalTo(1));
  }

  private static io.restassured.response.Response assign(
      TestData.Account who, Object mentorId, Object studentId) {
    var spec = given().contentType(ContentType.JSON);
    if (who != null) {
      spec = spec.auth().oauth2(who.token());
    }
    return spec.body(Map.of("mentorId", mentorId, "studentId", studentId))
        .put("/api/admin/mentor-assignments");
  }

  @Test
  void deletedAccountsCannotBeAssigned() {
    TestData.Account admin = data.account(Role.ADMIN);
    TestData.Account mentor = data.account(Role.MENTOR);
    TestData.Account student = data.account(Role.STUDENT);
    TestData.Account deletedStudent = data.account(Role.STUDENT);
    TestData.Account deletedMentor = data.account(Role.MENTOR);
    data.deleted(deletedStudent.id());
    data.deleted(deletedMentor.id());
    assign(admin, mentor.id(), deletedStudent.id())
        .then()
        .statusCode(404)
        .contentType(Problem.MEDIA_TYPE);
    assign(admin, deletedMentor.id(), student.id())
        .then()
        .statusCode(404)
        .contentType(Problem.MEDIA_TYPE);
    assertThat(
            data.count(
                "select count(*) from mentor_assignments where student_id in ($1, $2)",
                deletedStudent.id(),
                student.id()))
        .isZero();
  }

  @Test
  void adminsAssignAndUnassignMentors() {
    TestData.Account admin = data.account(Role.ADMIN);
    TestData.Account mentor = data.account(Role.MENTOR);
    TestData.Account student = data.account(Role.STUDENT);
    assign(admin, mentor.id(), data.account(Role.STUDENT).id()).then().statusCode(201); // warm up

    PgWireCounter.Counts created =
        Statements.count(
            () ->
                assign(admin, mentor.id(), student.id())
                    .then()
                    .statusCode(201)
                    .body("mentorId", equalTo((int) mentor.id()))
                    .body("studentId", equalTo((int) student.id()))
                    .body("active", equalTo(true))
                    .body("assignedAt", notNullValue()));
    // the assignment itself, plus the admin role recheck (user/AdminRoleRecheck) and the audit
    // row of the admin action (audit/AdminActionAudit)
    assertThat(created.statements()).isEqualTo(3);
    String assignedAt =
        assign(admin, mentor.id(), student.id())
            .then()
            .statusCode(200)
            .extract()
            .jsonPath()
            .getString("assignedAt");
    assertThat(
            data.count(
                "select count(*) from mentor_assignments where mentor_id = $1 and student_id = $2",
                mentor.id(),
                student.id()))
        .isEqualTo(1);
    // assigning an active assignment again changes nothing, so it writes nothing: no row lock,
    // hence no transaction id and no commit to flush
    assertThat(
            data.count(
                "select count(*) from mentor_assignments where mentor_id = $1 and student_id = $2"
                    + " and xmax::text <> '0'",
                mentor.id(),
                student.id()))
        .as("assignment rows locked by the repeated assignment")
        .isZero();
    given()
        .auth()
        .oauth2(mentor.token())
        .get("/api/mentors/" + mentor.id() + "/students")
        .then()
        .body("items.id", hasItem((int) student.id()));

    String path = "/api/admin/mentor-assignments/" + mentor.id() + "/" + student.id();
    PgWireCounter.Counts removed =
        Statements.count(
            () -> given().auth().oauth2(admin.token()).delete(path).then().statusCode(204));
    assertThat(removed.statements()).isEqualTo(3); // plus the role recheck and the audit row
    given()
        .auth()
        .oauth2(admin.token())
        .delete(path)
        .then()
        .statusCode(404)
        .contentType(Problem.MEDIA_TYPE);
    assertThat(
            data.count(
                "select count(*) from mentor_assignments"
                    + " where mentor_id = $1 and student_id = $2 and active",
                mentor.id(),
                student.id()))
        .isZero();

    // re-activation keeps the row and gives it a new date
    String reassignedAt =
        assign(admin, mentor.id(), student.id())
            .then()
            .statusCode(200)
            .body("active", equalTo(true))
            .extract()
            .jsonPath()
            .getString("assignedAt");
    assertThat(reassignedAt).isNotEqualTo(assignedAt);
    assertThat(
            data.count(
                "select count(*) from mentor_assignments where mentor_id = $1 and student_id = $2",
                mentor.id(),
                student.id()))
        .isEqualTo(1);
  }

  @Test
  void assignmentRulesAndRoles() {
    TestData.Account admin = data.account(Role.ADMIN);
    TestData.Account mentor = data.account(Role.MENTOR);
    TestData.Account student = data.account(Role.STUDENT);
    TestData.Account otherStudent = data.account(Role.STUDENT);

    assign(null, mentor.id(), student.id()).then().statusCode(401);
    assign(student, mentor.id(), student.id()).then().statusCode(403);
    assign(mentor, mentor.id(), student.id())
        .then()
        .statusCode(403)
        .contentType(Problem.MEDIA_TYPE);
    String path = "/api/admin/mentor-assignments/" + mentor.id() + "/" + student.id();
    given().delete(path).then().statusCode(401);
    given().auth().oauth2(mentor.token()).delete(path).then().statusCode(403);

    assign(admin, student.id(), otherStudent.id())
        .then()
        .statusCode(422)
        .contentType(Problem.MEDIA_TYPE);
    assign(admin, mentor.id(), data.account(Role.MENTOR).id()).then().statusCode(422);
    assign(admin, mentor.id(), mentor.id()).then().statusCode(422);
    assign(admin, 999_999_999L, student.id())
        .then()
        .statusCode(404)
        .contentType(Problem.MEDIA_TYPE);
    assign(admin, mentor.id(), 999_999_999L).then().statusCode(404);
    assign(admin, -1, student.id()).then().statusCode(400).contentType(Problem.MEDIA_TYPE);
    assign(admin, "x", student.id()).then().statusCode(400);
    given()
        .auth()
        .oauth2(admin.token())
        .contentType(ContentType.JSON)
        .body(Map.of("mentorId", mentor.id()))
        .put("/api/admin/mentor-assignments")
        .then()
        .statusCode(400)
        .body("errors[0].field", equalTo("studentId"));
    given()
        .auth()
        .oauth2(admin.token())
        .delete("/api/admin/mentor-assignments/0/" + student.id())
        .then()
        .statusCode(400);
    assertThat(
            data.count("select count(*) from mentor_assignments where mentor_id = $1", mentor.id()))
        .isZero();
  }

  @Test
  void badPagingParametersAre400() {
    TestData.Account mentor = data.account(Role.MENTOR);
    TestData.Account student = data.account(Role.STUDENT);
    data.assign(mentor.id(), student.id());
    JsonPath page = students(mentor, mentor.id(), null);
    assertThat(page.getString("next")).isNull();
    for (String path :
        List.of(
            "/api/mentors/" + mentor.id() + "/students",
            "/api/students/" + student.id() + "/mentors")) {
      for (String query : List.of("limit=0", "limit=abc", "limit=101", "cursor=abc")) {
        given()
            .auth()
            .oauth2(mentor.token())
            .get(path + "?" + query)
            .then()
            .statusCode(400)
            .contentType(Problem.MEDIA_TYPE);
      }
    }
    // a cursor of another mentor's listing is refused
    TestData.Account other = data.account(Role.MENTOR);
    studentsWithHistory(other.id(), 3);
    String foreign =
        given()
            .auth()
            .oauth2(other.token())
            .queryParam("limit", 1)
            .get("/api/mentors/" + other.id() + "/students")
            .then()
            .extract()
            .jsonPath()
            .getString("next");
    given()
        .auth()
        .oauth2(mentor.token())
        .queryParam("cursor", foreign)
        .get("/api/mentors/" + mentor.id() + "/students")
        .then()
        .statusCode(400);
    given()
        .auth()
        .oauth2(mentor.token())
        .get("/api/mentors/abc/students")
        .then()
        .statusCode(400)
        .body("errors[0].field", equalTo("mentorId"));
  }
}
