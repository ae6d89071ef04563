package io.campus.user;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.campus.leaderboard.LeaderboardRefresher;
import io.campus.testsupport.CampusTestResources;
import io.campus.testsupport.Clients;
import io.campus.testsupport.TestData;
import io.quarkus.elytron.security.common.BcryptUtil;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(value = CampusTestResources.class, scope = TestResourceScope.GLOBAL)
class AccountDeletionTest {

  private static final String PASSWORD = "a long pass phrase";

  private static final List<String> LEARNING_RECORDS =
      List.of(
          "select count(*) from enrollments where user_id = $1",
          "select count(*) from lesson_progress where user_id = $1",
          "select count(*) from assessments where student_id = $1",
          "select count(*) from user_certifications where user_id = $1",
          "select count(*) from activity_events where user_id = $1",
          "select count(*) from user_stats where user_id = $1",
          "select count(*) from mentor_assignments where student_id = $1");

  @Inject TestData data;
  @Inject LeaderboardRefresher refresher;

  /** An account of this role that can log in with {@link #PASSWORD}. */
  private TestData.Account withPassword(Role role) {
    TestData.Account account = data.account(role);
    data.execute(
        "update users set password_hash = $2, email_confirmed_at = now() where id = $1",
        Tuple.of(account.id(), BcryptUtil.bcryptHash(PASSWORD, 4)));
    return account;
  }

  private static Response delete(String token, Object body) {
    return given()
        .auth()
        .oauth2(token)
        .contentType(ContentType.JSON)
        .body(body)
        .delete("/api/users/me");
  }

  private static Response login(String email, String password) {
    return Clients.fresh()
        .contentType(ContentType.JSON)
        .body(Map.of("email", email, "password", password))
        .post("/api/auth/login");
  }

  private Map<String, Long> learningRecords(long userId) {
    Map<String, Long> counts = new LinkedHashMap<>();
    for (String sql : LEARNING_RECORDS) {
      counts.put(sql, data.count(sql, userId));
    }
    return counts;
  }

  private void refreshLeaderboard() throws InterruptedException {
    for (int attempt = 0; attempt < 100; attempt++) {
      if (refresher.refresh().await().indefinitely()) {
        return;
      }
      Thread.sleep(50);
    }
  }

  private static String leaderboardName(String token, long userId) {
    List<Map<String, Object>> top =
        given()
            .auth()
            .oauth2(token)
            .queryParam("limit", 100)
            .get("/api/leaderboard")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath()
            .getList("top");
    return top.stream()
        .filter(e -> ((Number) e.get("id")).longValue() == userId)
        .map(e -> (String) e.get("displayName"))
        .findFirst()
        .orElse(null);
  }

  @Test
  void deletionAnonymizesKeepsLearningRecordsAndEndsEverySession() throws Exception {
    TestData.Account mentor = data.account(Role.MENTOR);
    TestData.Account student = withPassword(Role.STUDENT);
    TestData.Account viewer = data.account(Role.STUDENT);
    TestData.Account secondSession = data.newSession(student, Role.STUDENT);
    TestData.CourseFixture course = data.publishedCourse(mentor.id(), 2);
    data.enroll(student.id(), course.id());
    data.assign(mentor.id(), student.id());
    long id = student.id();
    data.execute(
        "insert into lesson_progress (user_id, lesson_id, course_id, status, completed_at)"
            + " values ($1, $2, $3, 'COMPLETED', now())",
        Tuple.of(id, course.lessonIds().get(0), course.id()));
    data.execute(
        "insert into assessments (student_id, mentor_id, course_id, skill, score, assessed_on)"
            + " values ($1, $2, $3, 'testing', 90, current_date)",
        Tuple.of(id, mentor.id(), course.id()));
    long certification =
        data.single(
                "insert into certifications (course_id, name) values ($1, 'Deletion cert')"
                    + " returning id",
                Tuple.of(course.id()))
            .getLong("id");
    String code =
        data.single(
                "insert into user_certifications (user_id, certification_id, verification_code)"
                    + " values ($1, $2, campus_verification_code()) returning verification_code",
                Tuple.of(id, certification))
            .getString("verification_code");
    data.execute(
        "insert into activity_events (user_id, type, subject_type, subject_id)"
            + " values ($1, 'ENROLLED', 'COURSE', $2)",
        Tuple.of(id, course.id()));
    data.execute("insert into user_stats (user_id, points) values ($1, 900000000)", Tuple.of(id));
    data.execute(
        "insert into account_tokens (user_id, purpose, token_hash, expires_at)"
            + " values ($1, 'RESET_PASSWORD', sha256(gen_random_uuid()::text::bytea), now() + interval '1 hour')",
        Tuple.of(id));
    data.execute(
        "insert into account_mails (user_id, kind, last_sent_at)"
            + " values ($1, 'RESET_PASSWORD', now())",
        Tuple.of(id));
    refreshLeaderboard();

    // warm every cache that shows the name: sessions, verification, leaderboard, mentor's list
    given().auth().oauth2(student.token()).get("/api/auth/me").then().statusCode(200);
    given().auth().oauth2(secondSession.token()).get("/api/auth/me").then().statusCode(200);
    String oldName =
        given()
            .get("/api/certificates/verify/" + code)
            .then()
            .statusCode(200)
            .extract()
            .path("holderName");
    assertThat(oldName).isEqualTo("Test STUDENT");
    assertThat(leaderboardName(viewer.token(), id)).isEqualTo("Test STUDENT");
    given()
        .auth()
        .oauth2(mentor.token())
        .get("/api/mentors/" + mentor.id() + "/students")
        .then()
        .statusCode(200);
    Map<String, Long> before = learningRecords(id);

    delete(student.token(), Map.of("password", PASSWORD)).then().statusCode(204);

    Row user =
        data.single(
            "select email, display_name, password_hash, deleted_at, email_confirmed_at"
                + " from users where id = $1",
            Tuple.of(id));
    assertThat(user.getString("email")).isEqualTo("deleted-" + id + "@invalid");
    assertThat(user.getString("display_name")).isEqualTo("Deleted user");
    assertThat(user.getString("password_hash")).doesNotStartWith("$2").isNotEqualTo("");
    assertThat(user.getValue("deleted_at")).isNotNull();
    assertThat(user.getValue("email_confirmed_at")).isNull();
    assertThat(learningRecords(id)).isEqualTo(before);
    assertThat(data.count("select count(*) from sessions where user_id = $1", id)).isZero();
    assertThat(data.count("select count(*) from account_tokens where user_id = $1", id)).isZero();
    assertThat(data.count("select count(*) from account_mails where user_id = $1", id)).isZero();

    // every session ends at once, cached or not
    given().auth().oauth2(student.token()).get("/api/auth/me").then().statusCode(401);
    given().auth().oauth2(secondSession.token()).get("/api/auth/me").then().statusCode(401);

    // the old email fails exactly like a wrong password
    Response old = login(student.email(), PASSWORD);
    Response wrong = login(viewer.email(), "not the password");
    old.then().statusCode(401).contentType("application/problem+json");
    assertThat(old.jsonPath().getString("detail")).isEqualTo(wrong.jsonPath().getString("detail"));

    // public views show no name any more
    given()
        .get("/api/certificates/verify/" + code)
        .then()
        .statusCode(200)
        .body("holderName", org.hamcrest.Matchers.equalTo("Deleted user"));
    assertThat(leaderboardName(viewer.token(), id)).isEqualTo("Deleted user");
    String students =
        given()
            .auth()
            .oauth2(mentor.token())
            .get("/api/mentors/" + mentor.id() + "/students")
            .then()
            .statusCode(200)
            .extract()
            .asString();
    assertThat(students).doesNotContain(student.email()).doesNotContain("Test STUDENT");
  }

  @Test
  void aWrongPasswordIsAForbiddenProblemAndChangesNothing() {
    TestData.Account student = withPassword(Role.STUDENT);
    delete(student.token(), Map.of("password", "not the password"))
        .then()
        .statusCode(403)
        .contentType("application/problem+json");
    delete(student.token(), Map.of())
        .then()
        .statusCode(400)
        .contentType("application/problem+json");
    assertThat(
            data.count(
                "select count(*) from users where id = $1 and deleted_at is null"
                    + " and display_name = 'Test STUDENT'",
                student.id()))
        .isEqualTo(1);
    given().auth().oauth2(student.token()).get("/api/auth/me").then().statusCode(200);
    login(student.email(), PASSWORD).then().statusCode(200);
  }

  @Test
  void anonymousCallersAreUnauthorized() {
    given()
        .contentType(ContentType.JSON)
        .body(Map.of("password", PASSWORD))
        .delete("/api/users/me")
        .then()
        .statusCode(401);
  }

  @Test
  void theLastEnabledAdminCannotDeleteThemselves() {
    TestData.Account first = withPassword(Role.ADMIN);
    data.execute(
        "update users set role = 'MENTOR' where role = 'ADMIN' and id <> $1", Tuple.of(first.id()));
    delete(first.token(), Map.of("password", PASSWORD))
        .then()
        .statusCode(409)
        .contentType("application/problem+json");
    assertThat(
            data.count(
                "select count(*) from users where id = $1 and deleted_at is null", first.id()))
        .isEqualTo(1);

    TestData.Account second = withPassword(Role.ADMIN);
    delete(first.token(), Map.of("password", PASSWORD)).then().statusCode(204);
    delete(second.token(), Map.of("password", PASSWORD)).then().statusCode(409);
    given().auth().oauth2(second.token()).get("/api/auth/me").then().statusCode(200);
  }

  @Test
  void aDeletedInstructorsNameLeavesCachedCoursePagesAtOnce() {
    TestData.Account mentor = withPassword(Role.MENTOR);
    CoursePages pages = publishedCourseOf(mentor);
    assertThat(pages.instructorNames()).doesNotContain(AccountDeletionService.DELETED_NAME);

    delete(mentor.token(), Map.of("password", PASSWORD)).then().statusCode(204);

    assertThat(pages.instructorNames()).containsOnly(AccountDeletionService.DELETED_NAME);
  }

  @Test
  void aRenamedInstructorsNameShowsInCachedCoursePagesAtOnce() {
    TestData.Account mentor = withPassword(Role.MENTOR);
    CoursePages pages = publishedCourseOf(mentor);
    assertThat(pages.instructorNames()).doesNotContain("Ada Renamed");

    given()
        .auth()
        .oauth2(mentor.token())
        .contentType(ContentType.JSON)
        .body(Map.of("displayName", "Ada Renamed"))
        .patch("/api/users/me")
        .then()
        .statusCode(200);

    assertThat(pages.instructorNames()).containsOnly("Ada Renamed");
  }

  /** A rename reaches the same cached views as a deletion: verification and mentors' lists. */
  @Test
  void aRenamedStudentsNameShowsInCachedVerificationAndMentorListsAtOnce() {
    TestData.Account mentor = data.account(Role.MENTOR);
    TestData.Account student = data.account(Role.STUDENT);
    TestData.CourseFixture course = data.publishedCourse(mentor.id(), 1);
    data.enroll(student.id(), course.id());
    data.assign(mentor.id(), student.id());
    long certification =
        data.single(
                "insert into certifications (course_id, name) values ($1, 'Rename cert')"
                    + " returning id",
                Tuple.of(course.id()))
            .getLong("id");
    String code =
        data.single(
                "insert into user_certifications (user_id, certification_id, verification_code)"
                    + " values ($1, $2, campus_verification_code()) returning verification_code",
                Tuple.of(student.id(), certification))
            .getString("verification_code");
    // both now cached
    assertThat(holderName(code)).isEqualTo("Test STUDENT");
    assertThat(nameOnMentorsList(mentor, student.id())).isEqualTo("Test STUDENT");

    given()
        .auth()
        .oauth2(student.token())
        .contentType(ContentType.JSON)
        .body(Map.of("displayName", "Grace Renamed"))
        .patch("/api/users/me")
        .then()
        .statusCode(200);

    assertThat(holderName(code)).isEqualTo("Grace Renamed");
    assertThat(nameOnMentorsList(mentor, student.id())).isEqualTo("Grace Renamed");
  }

  private static String holderName(String code) {
    return given()
        .get("/api/certificates/verify/" + code)
        .then()
        .statusCode(200)
        .extract()
        .path("holderName");
  }

  private static String nameOnMentorsList(TestData.Account mentor, long studentId) {
    return given()
        .auth()
        .oauth2(mentor.token())
        .get("/api/mentors/" + mentor.id() + "/students")
        .then()
        .statusCode(200)
        .extract()
        .jsonPath()
        .getString("items.find { it.id == " + studentId + " }.displayName");
  }

  private CoursePages publishedCourseOf(TestData.Account instructor) {
    String category = TestData.unique("instructor-pages");
    TestData.CourseFixture course =
        data.course(instructor.id(), 1, "PUBLISHED", category, "BEGINNER", "Test course");
    return new CoursePages(course.slug(), category);
  }

  /** A course's detail and its catalogue page (a category of its own), both cached once read. */
  private record CoursePages(String slug, String category) {

    /** The instructor's name on the detail and on the page. */
    List<String> instructorNames() {
      String detail =
          given()
              .get("/api/courses/" + slug)
              .then()
              .statusCode(200)
              .extract()
              .path("instructorName");
      List<String> page =
          given()
              .queryParam("category", category)
              .get("/api/courses")
              .then()
              .statusCode(200)
              .extract()
              .jsonPath()
              .getList("items.instructorName", String.class);
      assertThat(page).hasSize(1);
      return List.of(detail, page.get(0));
    }
  }
}
