package io.campus.enrollment;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.campus.testsupport.CampusTestResources;
import io.campus.testsupport.OtherTransaction;
import io.campus.testsupport.PgWireCounter;
import io.campus.testsupport.Statements;
import io.campus.testsupport.TestData;
import io.campus.user.Role;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(value = CampusTestResources.class, scope = TestResourceScope.GLOBAL)
class EnrollmentResourceTest {

  @Inject TestData data;

  private int enroll(TestData.Account who, long courseId) {
    return given()
        .auth()
        .oauth2(who.token())
        .contentType(ContentType.JSON)
        .body(Map.of("courseId", courseId))
        .post("/api/enrollments")
        .statusCode();
  }

  /**
   * An enrollment meeting an unpublish of the course that has not committed yet waits for it, and
   * then finds the course off the catalogue: no student joins a draft after it was taken down.
   */
  @Test
  void anEnrollmentMeetingAnUnpublishFindsTheCourseGone() throws Exception {
    TestData.CourseFixture course = data.publishedCourse(data.account(Role.MENTOR).id(), 2);
    TestData.Account student = data.account(Role.STUDENT);
    int status;
    try (OtherTransaction unpublish = data.otherTransaction()) {
      status =
          unpublish
              .run("update courses set status = 'DRAFT' where id = $1", course.id())
              .commitOnceWaiting(() -> enroll(student, course.id()));
    }
    assertThat(status).isEqualTo(404);
    assertThat(data.count("select count(*) from enrollments where course_id = $1", course.id()))
        .isZero();
  }

  @Test
  void enrollOnceThenConflict() {
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
        .statusCode(201)
        .body("course.slug", equalTo(course.slug()))
        .body("progressPercent", equalTo(0));
    long courseLocker =
        data.count("select xmax::text::bigint from courses where id = $1", course.id());
    assertThat(enroll(student, course.id())).isEqualTo(409);
    // the refused repeat wrote nothing: no row lock, so no transaction id and no commit to flush
    assertThat(
            data.count(
                "select count(*) from enrollments where user_id = $1 and xmax::text <> '0'",
                student.id()))
        .isZero();
    assertThat(data.count("select xmax::text::bigint from courses where id = $1", course.id()))
        .as("the course's last locker is the first enrollment")
        .isEqualTo(courseLocker);
    assertThat(enroll(student, 999_999_999L)).isEqualTo(404);
    TestData.CourseFixture draft = data.course(mentor.id(), 1, "DRAFT", "x", "BEGINNER", "Draft");
    assertThat(enroll(student, draft.id())).isEqualTo(404);
    given()
        .contentType(ContentType.JSON)
        .body(Map.of("courseId", course.id()))
        .post("/api/enrollments")
        .then()
        .statusCode(401);
    given()
        .auth()
        .oauth2(student.token())
        .contentType(ContentType.JSON)
        .body(Map.of("courseId", -1))
        .post("/api/enrollments")
        .then()
        .statusCode(400);
    assertThat(
            data.count(
                "select count(*) from activity_events where user_id = $1 and type = 'ENROLLED'",
                student.id()))
        .isEqualTo(1);
  }

  @Test
  void concurrentEnrollmentOfOneUserInOneCourseWritesOneRow() throws Exception {
    TestData.Account mentor = data.account(Role.MENTOR);
    TestData.CourseFixture course = data.publishedCourse(mentor.id(), 1);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      for (int round = 0; round < 5; round++) {
        TestData.Account student = data.account(Role.STUDENT);
        List<Callable<Integer>> calls = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
          calls.add(() -> enroll(student, course.id()));
        }
        List<Integer> statuses = new ArrayList<>();
        for (Future<Integer> f : pool.invokeAll(calls)) {
          statuses.add(f.get());
        }
        assertThat(statuses).containsOnly(201, 409);
        assertThat(statuses).filteredOn(s -> s == 201).hasSize(1);
        assertThat(data.count("select count(*) from enrollments where user_id = $1", student.id()))
            .isEqualTo(1);
        assertThat(
                data.count("select enrollments from user_stats where user_id = $1", student.id()))
            .isEqualTo(1);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void myEnrollmentsCostTheSameStatementsForOneOrThirty() {
    TestData.Account mentor = data.account(Role.MENTOR);
    TestData.Account few = data.account(Role.STUDENT);
    TestData.Account many = data.account(Role.STUDENT);
    data.enroll(few.id(), data.publishedCourse(mentor.id(), 1).id());
    for (int i = 0; i < 30; i++) {
      data.enroll(many.id(), data.publishedCourse(mentor.id(), 1).id());
    }
    // warm up both sessions, so only the listing itself is counted
    given().auth().oauth2(few.token()).get("/api/enrollments").then().statusCode(200);
    given().auth().oauth2(many.token()).get("/api/enrollments").then().statusCode(200);
    PgWireCounter.Counts one =
        Statements.count(
            () ->
                given()
                    .auth()
                    .oauth2(few.token())
                    .get("/api/enrollments")
                    .then()
                    .statusCode(200)
                    .body("items.size()", equalTo(1)));
    PgWireCounter.Counts thirty =
        Statements.count(
            () ->
                given()
                    .auth()
                    .oauth2(many.token())
                    .queryParam("limit", 50)
                    .get("/api/enrollments")
                    .then()
                    .statusCode(200)
                    .body("items.size()", equalTo(30)));
    assertThat(one.statements()).isEqualTo(1).isEqualTo(thirty.statements());
    assertThat(one.roundTrips()).isEqualTo(thirty.roundTrips());
  }

  @Test
  void enrollmentListPaginates() {
    TestData.Account mentor = data.account(Role.MENTOR);
    TestData.Account student = data.account(Role.STUDENT);
    for (int i = 0; i < 5; i++) {
      data.enroll(student.id(), data.publishedCourse(mentor.id(), 1).id());
    }
    var page1 =
        given()
            .auth()
            .oauth2(student.token())
            .queryParam("limit", 3)
            .get("/api/enrollments")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    var page2 =
        given()
            .auth()
            .oauth2(student.token())
            .queryParam("limit", 3)
            .queryParam("cursor", page1.getString("next"))
            .get("/api/enrollments")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    List<Long> ids = new ArrayList<>(page1.getList("items.id", Long.class));
    ids.addAll(page2.getList("items.id", Long.class));
    assertThat(ids).hasSize(5).doesNotHaveDuplicates();
    assertThat(page2.getString("next")).isNull();
    // a cursor from another user's listing is refused
    TestData.Account other = data.account(Role.STUDENT);
    given()
        .auth()
        .oauth2(other.token())
        .queryParam("cursor", page1.getString("next"))
        .get("/api/enrollments")
        .then()
        .statusCode(400);
  }

  @Test
  void roleMatrixForAUsersEnrollments() {
    TestData.Account student = data.account(Role.STUDENT);
    TestData.Account otherStudent = data.account(Role.STUDENT);
    TestData.Account mentor = data.account(Role.MENTOR);
    TestData.Account otherMentor = data.account(Role.MENTOR);
    TestData.Account admin = data.account(Role.ADMIN);
    data.assign(mentor.id(), student.id());
    data.enroll(student.id(), data.publishedCourse(otherMentor.id(), 1).id());
    String path = "/api/users/" + student.id() + "/enrollments";

    given().get(path).then().statusCode(401);
    given()
        .auth()
        .oauth2(student.token())
        .get(path)
        .then()
        .statusCode(200)
        .body("items.size()", equalTo(1));
    given().auth().oauth2(otherStudent.token()).get(path).then().statusCode(403);
    given()
        .auth()
        .oauth2(mentor.token())
        .get(path)
        .then()
        .statusCode(200)
        .body("items.size()", equalTo(1));
    given().auth().oauth2(otherMentor.token()).get(path).then().statusCode(403);
    given()
        .auth()
        .oauth2(admin.token())
        .get(path)
        .then()
        .statusCode(200)
        .body("items.size()", equalTo(1));
    data.execute(
        "update mentor_assignments set active = false where mentor_id = $1",
        io.vertx.mutiny.sqlclient.Tuple.of(mentor.id()));
    given().auth().oauth2(mentor.token()).get(path).then().statusCode(403);
  }

  /**
   * A mentor reads a student's enrollments in the courses the mentor may open only: a course
   * unpublished or archived since the student joined is hidden from mentors who do not instruct it
   * (as its detail is), in the list's one statement. The student and admins see every one.
   */
  @Test
  void aMentorSeesTheirStudentsEnrollmentsOnlyInCoursesTheyMayOpen() {
    TestData.Account student = data.account(Role.STUDENT);
    TestData.Account mentor = data.account(Role.MENTOR);
    TestData.Account instructor = data.account(Role.MENTOR);
    data.assign(mentor.id(), student.id());
    TestData.CourseStates states = data.courseStates(instructor.id(), mentor.id());
    long enrolledDraft =
        data.course(instructor.id(), 1, "DRAFT", "x", "BEGINNER", "Shared draft").id();
    List<Long> all = new ArrayList<>(states.all());
    all.add(enrolledDraft);
    for (long course : all) {
      data.enroll(student.id(), course);
    }
    // a mentor enrolled in a course that was then unpublished may still open it
    data.enroll(mentor.id(), enrolledDraft);
    String path = "/api/users/" + student.id() + "/enrollments";

    for (TestData.Account trusted : List.of(student, data.account(Role.ADMIN))) {
      assertThat(courseIds(trusted, path)).containsExactlyInAnyOrderElementsOf(all);
    }
    courseIds(mentor, path); // warm up
    List<List<Long>> seen = new ArrayList<>();
    PgWireCounter.Counts counts = Statements.count(() -> seen.add(courseIds(mentor, path)));
    assertThat(seen.get(0))
        .containsExactlyInAnyOrder(states.published(), states.ownDraft(), enrolledDraft);
    assertThat(counts.statements()).isEqualTo(1);
  }

  private static List<Long> courseIds(TestData.Account viewer, String path) {
    return given()
        .auth()
        .oauth2(viewer.token())
        .get(path)
        .then()
        .statusCode(200)
        .extract()
        .jsonPath()
        .getList("items.course.id", Long.class);
  }

  /**
   * A completion (and its undo) changes a progress row's status and the student's stats. With none
   * of the changed columns in an index, PostgreSQL updates both rows heap-only: no index entry is
   * written, only the new row version (an index on points or status cost a third of a completion's
   * WAL records). The enrollment row keeps its course ranking index, which the course leaderboard
   * reads.
   */
  @Test
  void theRowsACompletionChangesHaveNoIndexOnTheChangedColumns() {
    assertThat(
            data.count(
                "select count(*) from pg_indexes where schemaname = current_schema()"
                    + " and tablename = 'lesson_progress'"
                    + " and (indexdef ~ '\\mstatus\\M' or indexdef ~ '\\mcompleted_at\\M')"))
        .as("lesson_progress indexes on status or completed_at")
        .isZero();
    assertThat(
            data.count(
                "select count(*) from pg_index i join pg_attribute a"
                    + " on a.attrelid = i.indrelid and a.attnum = any(i.indkey)"
                    + " where i.indrelid = 'user_stats'::regclass and a.attname <> 'user_id'"))
        .as("user_stats indexes on anything but user_id")
        .isZero();
  }

  @Test
  void completingALessonUpdatesEverythingInOneStatement() {
    TestData.Account mentor = data.account(Role.MENTOR);
    TestData.Account student = data.account(Role.STUDENT);
    TestData.Account stranger = data.account(Role.STUDENT);
    TestData.CourseFixture course = data.publishedCourse(mentor.id(), 4);
    data.enroll(student.id(), course.id());

    given().post("/api/lessons/" + course.lessonIds().get(0) + "/complete").then().statusCode(401);
    given()
        .auth()
        .oauth2(stranger.token())
        .post("/api/lessons/" + course.lessonIds().get(0) + "/complete")
        .then()
        .statusCode(403);
    given()
        .auth()
        .oauth2(student.token())
        .post("/api/lessons/999999999/complete")
        .then()
        .statusCode(404);

    PgWireCounter.Counts first =
        Statements.count(
            () ->
                given()
                    .auth()
                    .oauth2(student.token())
                    .post("/api/lessons/" + course.lessonIds().get(0) + "/complete")
                    .then()
                    .statusCode(200)
                    .body("newlyCompleted", equalTo(true))
                    .body("progressPercent", equalTo(25))
                    .body("points", equalTo(10)));
    // repeating it changes nothing, and writes nothing: no row lock, so no transaction id and no
    // commit record to wait for (a retried or double-tapped completion is a read)
    given()
        .auth()
        .oauth2(student.token())
        .post("/api/lessons/" + course.lessonIds().get(0) + "/complete")
        .then()
        .statusCode(200)
        .body("newlyCompleted", equalTo(false))
        .body("points", equalTo(10));
    assertThat(
            data.count(
                "select count(*) from lesson_progress where user_id = $1 and lesson_id = $2"
                    + " and xmax::text <> '0'",
                student.id(),
                course.lessonIds().get(0)))
        .as("lesson_progress rows locked by the repeated completion")
        .isZero();
    for (int i = 1; i < 3; i++) {
      given()
          .auth()
          .oauth2(student.token())
          .post("/api/lessons/" + course.lessonIds().get(i) + "/complete")
          .then()
          .statusCode(200);
    }
    PgWireCounter.Counts last =
        Statements.count(
            () ->
                given()
                    .auth()
                    .oauth2(student.token())
                    .post("/api/lessons/" + course.lessonIds().get(3) + "/complete")
                    .then()
                    .statusCode(200)
                    .body("courseCompleted", equalTo(true))
                    .body("enrollmentStatus", equalTo("COMPLETED"))
                    .body("progressPercent", equalTo(100))
                    .body("points", equalTo(4 * 10 + 100)));

    // the session lookup is served by the cache: the completion is the only statement
    assertThat(first.statements()).isEqualTo(1);
    assertThat(first.roundTrips()).isLessThanOrEqualTo(4);
    assertThat(last).isEqualTo(first);
    assertThat(
            data.count(
                "select count(*) from lesson_progress where user_id = $1 and status = 'COMPLETED'",
                student.id()))
        .isEqualTo(4);
    assertThat(
            data.count("select lessons_completed from user_stats where user_id = $1", student.id()))
        .isEqualTo(4);
    assertThat(
            data.count("select courses_completed from user_stats where user_id = $1", student.id()))
        .isEqualTo(1);
    assertThat(data.count("select current_streak from user_stats where user_id = $1", student.id()))
        .isEqualTo(1);
    assertThat(
            data.count(
                "select count(*) from activity_events where user_id = $1 and type = 'LESSON_COMPLETED'",
                student.id()))
        .isEqualTo(4);
    assertThat(
            data.count(
                "select count(*) from activity_events where user_id = $1 and type = 'COURSE_COMPLETED'",
                student.id()))
        .isEqualTo(1);
  }
}
