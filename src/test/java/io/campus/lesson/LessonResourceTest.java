package io.campus.lesson;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import io.campus.platform.common.Problem;
import io.campus.testsupport.Access;
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
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(value = CampusTestResources.class, scope = TestResourceScope.GLOBAL)
class LessonResourceTest {

  @Inject TestData data;

  private static String lesson(TestData.CourseFixture course, int position) {
    return "/api/courses/" + course.slug() + "/lessons/" + position;
  }

  private void content(long lessonId, String markdown) {
    data.execute("update lessons set content = $2 where id = $1", Tuple.of(lessonId, markdown));
  }

  @Test
  void roleMatrixForReadingALesson() {
    TestData.Account instructor = data.account(Role.MENTOR);
    TestData.Account otherMentor = data.account(Role.MENTOR);
    TestData.Account enrolled = data.account(Role.STUDENT);
    TestData.Account stranger = data.account(Role.STUDENT);
    TestData.Account admin = data.account(Role.ADMIN);
    TestData.CourseFixture course = data.publishedCourse(instructor.id(), 3);
    content(course.lessonIds().get(1), "# Joins\n\nA join combines rows.");
    data.execute(
        "update lessons set preview = true where id = $1", Tuple.of(course.lessonIds().get(0)));
    data.enroll(enrolled.id(), course.id());

    given().get(lesson(course, 2)).then().statusCode(401).contentType(Problem.MEDIA_TYPE);
    Access.assertForbidden(lesson(course, 2), List.of(stranger, otherMentor));
    for (TestData.Account reader : List.of(enrolled, instructor, admin)) {
      given()
          .auth()
          .oauth2(reader.token())
          .get(lesson(course, 2))
          .then()
          .statusCode(200)
          .body("content", equalTo("# Joins\n\nA join combines rows."))
          .body("position", equalTo(2))
          .body("previous", equalTo(1))
          .body("next", equalTo(3));
    }
    // the preview lesson is public; only an enrolled reader has progress on it
    given().get(lesson(course, 1)).then().statusCode(200).body("progress", nullValue());
    given()
        .auth()
        .oauth2(stranger.token())
        .get(lesson(course, 1))
        .then()
        .statusCode(200)
        .body("previous", nullValue())
        .body("progress", nullValue());
    given()
        .auth()
        .oauth2(enrolled.token())
        .get(lesson(course, 1))
        .then()
        .statusCode(200)
        .body("progress", equalTo("IN_PROGRESS"));
    // nobody's visit is recorded but the enrolled reader's
    assertThat(data.count("select count(*) from lesson_progress where course_id = $1", course.id()))
        .isEqualTo(2);
    given()
        .auth()
        .oauth2(enrolled.token())
        .get(lesson(course, 4))
        .then()
        .statusCode(404)
        .contentType(Problem.MEDIA_TYPE);
    given().get("/api/courses/no-such-course/lessons/1").then().statusCode(404);
  }

  @Test
  void openingALessonMarksItInProgressAndResumesThere() {
    TestData.Account instructor = data.account(Role.MENTOR);
    TestData.Account student = data.account(Role.STUDENT);
    TestData.CourseFixture course = data.publishedCourse(instructor.id(), 3);
    data.enroll(student.id(), course.id());
    String resume = "/api/enrollments/" + course.id() + "/resume";

    given()
        .auth()
        .oauth2(student.token())
        .get(resume)
        .then()
        .statusCode(200)
        .body("reason", equalTo("FIRST_NOT_COMPLETED"))
        .body("position", equalTo(1));
    given().auth().oauth2(student.token()).get(lesson(course, 2)).then().statusCode(200);
    given()
        .auth()
        .oauth2(student.token())
        .get(resume)
        .then()
        .statusCode(200)
        .body("reason", equalTo("LAST_OPENED"))
        .body("lessonId", equalTo(course.lessonIds().get(1).intValue()))
        .body("position", equalTo(2));
    assertThat(
            data.count(
                "select count(*) from lesson_progress where user_id = $1 and lesson_id = $2"
                    + " and status = 'IN_PROGRESS'",
                student.id(),
                course.lessonIds().get(1)))
        .isEqualTo(1);
    assertThat(
            data.count(
                "select count(*) from enrollments where user_id = $1 and last_lesson_id = $2"
                    + " and last_opened_at is not null",
                student.id(),
                course.lessonIds().get(1)))
        .isEqualTo(1);
    // reading it again at once writes nothing: its enrollment row keeps its version
    String version = "select xmin::text::bigint from enrollments where user_id = $1";
    long before = data.count(version, student.id());
    given().auth().oauth2(student.token()).get(lesson(course, 2)).then().statusCode(200);
    assertThat(data.count(version, student.id())).isEqualTo(before);

    // completing the last opened lesson moves resume to the first lesson not completed
    given()
        .auth()
        .oauth2(student.token())
        .post("/api/lessons/" + course.lessonIds().get(1) + "/complete")
        .then()
        .statusCode(200);
    given()
        .auth()
        .oauth2(student.token())
        .get(lesson(course, 2))
        .then()
        .statusCode(200)
        .body("progress", equalTo("COMPLETED"));
    given()
        .auth()
        .oauth2(student.token())
        .get(resume)
        .then()
        .body("reason", equalTo("FIRST_NOT_COMPLETED"))
        .body("position", equalTo(1));
    for (int i : new int[] {0, 2}) {
      given()
          .auth()
          .oauth2(student.token())
          .post("/api/lessons/" + course.lessonIds().get(i) + "/complete")
          .then()
          .statusCode(200);
    }
    given()
        .auth()
        .oauth2(student.token())
        .get(resume)
        .then()
        .body("reason", equalTo("ALL_COMPLETED"))
        .body("enrollmentStatus", equalTo("COMPLETED"))
        .body("lessonId", nullValue());

    // role matrix of resume: only the enrolled user has something to resume
    given().get(resume).then().statusCode(401);
    for (Role role : List.of(Role.STUDENT, Role.MENTOR, Role.ADMIN)) {
      given()
          .auth()
          .oauth2(data.account(role).token())
          .get(resume)
          .then()
          .statusCode(404)
          .contentType(Problem.MEDIA_TYPE);
    }
    given().auth().oauth2(instructor.token()).get(resume).then().statusCode(404);
  }

  @Test
  void readingCostsOneStatementWarmAndTwoColdWhateverTheCourseSize() {
    TestData.Account instructor = data.account(Role.MENTOR);
    TestData.Account student = data.account(Role.STUDENT);
    TestData.CourseFixture small = data.publishedCourse(instructor.id(), 3);
    TestData.CourseFixture large = data.publishedCourse(instructor.id(), 300);
    data.enroll(student.id(), small.id());
    data.enroll(student.id(), large.id());
    given().auth().oauth2(student.token()).get("/api/auth/me").then().statusCode(200);

    PgWireCounter.Counts smallCold = read(student, small, 2);
    PgWireCounter.Counts largeCold = read(student, large, 150);
    PgWireCounter.Counts smallWarm = read(student, small, 2);
    PgWireCounter.Counts largeWarm = read(student, large, 150);
    // cold: the content, then the reader's own statement; warm: only the reader's statement
    assertThat(smallCold.statements()).isEqualTo(2).isEqualTo(largeCold.statements());
    assertThat(smallWarm.statements()).isEqualTo(1).isEqualTo(largeWarm.statements());
    assertThat(smallWarm.roundTrips()).isEqualTo(largeWarm.roundTrips());
    // the instructor reads from the cache alone (once the session is cached)
    given().auth().oauth2(instructor.token()).get("/api/auth/me").then().statusCode(200);
    PgWireCounter.Counts instructorWarm =
        Statements.count(
            () ->
                given()
                    .auth()
                    .oauth2(instructor.token())
                    .get(lesson(large, 150))
                    .then()
                    .statusCode(200));
    assertThat(instructorWarm.statements()).isZero();
  }

  private PgWireCounter.Counts read(
      TestData.Account reader, TestData.CourseFixture course, int position) {
    return Statements.count(
        () ->
            given()
                .auth()
                .oauth2(reader.token())
                .get(lesson(course, position))
                .then()
                .statusCode(200)
                .body("position", equalTo(position)));
  }

  @Test
  void unpublishedAndArchivedCoursesStayReadableForEnrolledStudentsOnly() {
    TestData.Account instructor = data.account(Role.MENTOR);
    TestData.Account enrolled = data.account(Role.STUDENT);
    TestData.Account newcomer = data.account(Role.STUDENT);
    TestData.CourseFixture course = data.publishedCourse(instructor.id(), 2);
    data.execute(
        "update lessons set preview = true where id = $1", Tuple.of(course.lessonIds().get(0)));
    data.enroll(enrolled.id(), course.id());
    given().get(lesson(course, 1)).then().statusCode(200);

    given()
        .auth()
        .oauth2(newcomer.token())
        .post("/api/courses/" + course.slug() + "/unpublish")
        .then()
        .statusCode(403);
    given()
        .auth()
        .oauth2(instructor.token())
        .post("/api/courses/" + course.slug() + "/unpublish")
        .then()
        .statusCode(200)
        .body("status", equalTo("DRAFT"));
    // the cached preview saw the change on every instance: now hidden
    given().get(lesson(course, 1)).then().statusCode(404);
    given().auth().oauth2(newcomer.token()).get(lesson(course, 1)).then().statusCode(404);
    given().auth().oauth2(enrolled.token()).get(lesson(course, 2)).then().statusCode(200);
    given()
        .auth()
        .oauth2(newcomer.token())
        .contentType(ContentType.JSON)
        .body(Map.of("courseId", course.id()))
        .post("/api/enrollments")
        .then()
        .statusCode(404);

    given()
        .auth()
        .oauth2(instructor.token())
        .post("/api/courses/" + course.slug() + "/archive")
        .then()
        .statusCode(200)
        .body("status", equalTo("ARCHIVED"));
    given().auth().oauth2(enrolled.token()).get(lesson(course, 2)).then().statusCode(200);
    given().auth().oauth2(newcomer.token()).get(lesson(course, 2)).then().statusCode(404);
    given()
        .auth()
        .oauth2(instructor.token())
        .post("/api/courses/" + course.slug() + "/unpublish")
        .then()
        .statusCode(422);
  }

  @Test
  void editingAPublishedLessonReachesReadersAndOnlyDraftsAreReorderedOrDeleted() {
    TestData.Account instructor = data.account(Role.MENTOR);
    TestData.Account otherMentor = data.account(Role.MENTOR);
    TestData.Account student = data.account(Role.STUDENT);
    TestData.Account admin = data.account(Role.ADMIN);
    TestData.CourseFixture course = data.publishedCourse(instructor.id(), 3);
    data.enroll(student.id(), course.id());
    given()
        .auth()
        .oauth2(student.token())
        .get(lesson(course, 2))
        .then()
        .body("content", equalTo(""));

    Map<String, Object> change = Map.of("content", "# New text", "preview", true);
    given()
        .contentType(ContentType.JSON)
        .body(change)
        .patch(lesson(course, 2))
        .then()
        .statusCode(401);
    for (TestData.Account who : List.of(student, otherMentor)) {
      given()
          .auth()
          .oauth2(who.token())
          .contentType(ContentType.JSON)
          .body(change)
          .patch(lesson(course, 2))
          .then()
          .statusCode(403)
          .contentType(Problem.MEDIA_TYPE);
    }
    given()
        .auth()
        .oauth2(instructor.token())
        .contentType(ContentType.JSON)
        .body(change)
        .patch(lesson(course, 2))
        .then()
        .statusCode(200)
        .body("content", equalTo("# New text"))
        .body("title", equalTo("Lesson 2"))
        .body("preview", equalTo(true));
    given()
        .auth()
        .oauth2(student.token())
        .get(lesson(course, 2))
        .then()
        .body("content", equalTo("# New text"));
    given().get(lesson(course, 2)).then().statusCode(200);
    given()
        .auth()
        .oauth2(admin.token())
        .contentType(ContentType.JSON)
        .body(Map.of("title", "Joins"))
        .patch(lesson(course, 2))
        .then()
        .statusCode(200)
        .body("title", equalTo("Joins"))
        .body("content", equalTo("# New text"));
    given()
        .auth()
        .oauth2(instructor.token())
        .contentType(ContentType.JSON)
        .body(Map.of("title", " "))
        .patch(lesson(course, 2))
        .then()
        .statusCode(400);

    // published: no reordering, no deleting
    given()
        .auth()
        .oauth2(instructor.token())
        .delete(lesson(course, 1))
        .then()
        .statusCode(422)
        .contentType(Problem.MEDIA_TYPE);
    reorder(
        instructor,
        course,
        List.of(course.lessonIds().get(2), course.lessonIds().get(0), course.lessonIds().get(1)),
        422);

    TestData.CourseFixture draft =
        data.course(instructor.id(), 3, "DRAFT", "testing", "BEGINNER", "Draft");
    List<Long> ids = draft.lessonIds();
    reorder(otherMentor, draft, List.of(ids.get(2), ids.get(0), ids.get(1)), 404);
    reorder(instructor, draft, List.of(ids.get(2), ids.get(0)), 400);
    reorder(instructor, draft, List.of(ids.get(2), ids.get(0), ids.get(0)), 400);
    reorder(instructor, draft, List.of(ids.get(2), ids.get(0), ids.get(1)), 204);
    given()
        .auth()
        .oauth2(instructor.token())
        .get("/api/courses/" + draft.slug())
        .then()
        .body(
            "lessons.id",
            equalTo(List.of(ids.get(2).intValue(), ids.get(0).intValue(), ids.get(1).intValue())));
    given().auth().oauth2(otherMentor.token()).delete(lesson(draft, 1)).then().statusCode(404);
    given().auth().oauth2(instructor.token()).delete(lesson(draft, 1)).then().statusCode(204);
    given()
        .auth()
        .oauth2(instructor.token())
        .get("/api/courses/" + draft.slug())
        .then()
        .body("lessonCount", equalTo(2))
        .body("lessons.id", equalTo(List.of(ids.get(0).intValue(), ids.get(1).intValue())))
        .body("lessons.position", equalTo(List.of(1, 2)));
    given()
        .auth()
        .oauth2(instructor.token())
        .get(lesson(draft, 1))
        .then()
        .statusCode(200)
        .body("lessonId", equalTo(ids.get(0).intValue()))
        .body("next", equalTo(2));
    given().auth().oauth2(instructor.token()).delete(lesson(draft, 3)).then().statusCode(404);
  }

  @Test
  void anEditWithControlOrBidiCharactersIsRefusedAndChangesNothing() {
    TestData.Account instructor = data.account(Role.MENTOR);
    TestData.CourseFixture course = data.publishedCourse(instructor.id(), 2);
    content(course.lessonIds().get(0), "# Before");
    for (Map<String, Object> change :
        List.<Map<String, Object>>of(
            Map.of("title", "Right\u202eto left"),
            Map.of("title", "Bell\u0007"),
            Map.of("title", "Two\u2028lines"),
            Map.of("title", "Isolate\u2067x\u2069"),
            Map.of("content", "escape \u001b[2J"),
            Map.of("content", "override \u202d"))) {
      String field = change.keySet().iterator().next();
      given()
          .auth()
          .oauth2(instructor.token())
          .contentType(ContentType.JSON)
          .body(change)
          .patch(lesson(course, 1))
          .then()
          .statusCode(400)
          .contentType(Problem.MEDIA_TYPE)
          .body("errors.field", equalTo(List.of(field)));
    }
    assertThat(
            data.count(
                "select count(*) from lessons where id = $1 and title = 'Lesson 1'"
                    + " and content = '# Before'",
                course.lessonIds().get(0)))
        .isOne();
    given()
        .auth()
        .oauth2(instructor.token())
        .contentType(ContentType.JSON)
        .body(Map.of("content", "# Code\n\n\tindented\r\n"))
        .patch(lesson(course, 1))
        .then()
        .statusCode(200)
        .body("content", equalTo("# Code\n\n\tindented\r\n"));
  }

  @Test
  void concurrentDeletesOfOnePositionLeaveTheCourseWhole() throws Exception {
    TestData.Account instructor = data.account(Role.MENTOR);
    TestData.CourseFixture draft =
        data.course(instructor.id(), 8, "DRAFT", "testing", "BEGINNER", "Racing deletes");
    int requests = 10;
    ExecutorService threads = Executors.newFixedThreadPool(requests);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<io.restassured.response.Response>> answers = new ArrayList<>();
      for (int i = 0; i < requests; i++) {
        answers.add(
            threads.submit(
                () -> {
                  start.await();
                  return given().auth().oauth2(instructor.token()).delete(lesson(draft, 2));
                }));
      }
      start.countDown();
      int deleted = 0;
      for (Future<io.restassured.response.Response> answer : answers) {
        io.restassured.response.Response response = answer.get(30, TimeUnit.SECONDS);
        assertThat(response.statusCode()).as(response.asString()).isIn(204, 404, 409);
        if (response.statusCode() == 204) {
          deleted++;
        } else {
          assertThat(response.contentType()).startsWith(Problem.MEDIA_TYPE);
        }
      }
      assertThat(deleted).isPositive();
      long left = 8 - deleted;
      assertThat(data.count("select lesson_count from courses where id = $1", draft.id()))
          .isEqualTo(left);
      assertThat(
              data.count(
                  "select count(*) from lessons where course_id = $1 and position between 1 and $2",
                  draft.id(),
                  left))
          .isEqualTo(data.count("select count(*) from lessons where course_id = $1", draft.id()))
          .isEqualTo(left);
    } finally {
      threads.shutdownNow();
    }
  }

  /**
   * A delete that names the lesson it means is safe to repeat: a retry (the first answer was lost)
   * finds another lesson at that position by then and deletes nothing.
   */
  @Test
  void aRepeatedDeleteOfANamedLessonDeletesNoOther() {
    TestData.Account instructor = data.account(Role.MENTOR);
    TestData.CourseFixture draft =
        data.course(instructor.id(), 3, "DRAFT", "testing", "BEGINNER", "Retried draft");
    String second = lesson(draft, 2) + "?lessonId=" + draft.lessonIds().get(1);
    given().auth().oauth2(instructor.token()).delete(second).then().statusCode(204);
    given()
        .auth()
        .oauth2(instructor.token())
        .delete(second)
        .then()
        .statusCode(412)
        .contentType(Problem.MEDIA_TYPE);
    assertThat(data.count("select count(*) from lessons where course_id = $1", draft.id()))
        .isEqualTo(2);
    assertThat(
            data.count("select id from lessons where course_id = $1 and position = 2", draft.id()))
        .isEqualTo(draft.lessonIds().get(2));
  }

  /**
   * An edit that names the lesson it means changes no other: once the lessons were reordered, the
   * position holds another lesson and the edit is refused (412) with nothing written.
   */
  @Test
  void anEditOfANamedLessonThatMovedChangesNoOther() {
    TestData.Account instructor = data.account(Role.MENTOR);
    TestData.CourseFixture draft =
        data.course(instructor.id(), 2, "DRAFT", "testing", "BEGINNER", "Reordered draft");
    List<Long> ids = draft.lessonIds();
    String first = lesson(draft, 1) + "?lessonId=" + ids.get(0);
    given()
        .auth()
        .oauth2(instructor.token())
        .contentType(ContentType.JSON)
        .body(Map.of("title", "Edited first"))
        .patch(first)
        .then()
        .statusCode(200)
        .body("lessonId", equalTo(ids.get(0).intValue()))
        .body("title", equalTo("Edited first"));
    given()
        .auth()
        .oauth2(instructor.token())
        .contentType(ContentType.JSON)
        .body(Map.of("lessonIds", List.of(ids.get(1), ids.get(0))))
        .put("/api/courses/" + draft.slug() + "/lessons/order")
        .then()
        .statusCode(204);

    given()
        .auth()
        .oauth2(instructor.token())
        .contentType(ContentType.JSON)
        .body(Map.of("title", "Meant for the first"))
        .patch(first)
        .then()
        .statusCode(412)
        .contentType(Problem.MEDIA_TYPE);
    assertThat(
            data.count(
                "select count(*) from lessons where course_id = $1 and title like 'Meant%'",
                draft.id()))
        .isZero();
    given()
        .auth()
        .oauth2(instructor.token())
        .contentType(ContentType.JSON)
        .body(Map.of("title", "Edit"))
        .patch(lesson(draft, 1) + "?lessonId=0")
        .then()
        .statusCode(400);
  }

  /**
   * The retry of a named delete of the last lesson finds nothing at that position any more: the
   * lesson it names is gone, which is the 412 of any other retry, not a 404 that reads as a wrong
   * position, and nothing else is deleted.
   */
  @Test
  void aRepeatedDeleteOfTheLastLessonIsAFailedPreconditionToo() {
    TestData.Account instructor = data.account(Role.MENTOR);
    TestData.CourseFixture draft =
        data.course(instructor.id(), 3, "DRAFT", "testing", "BEGINNER", "Retried last lesson");
    String last = lesson(draft, 3) + "?lessonId=" + draft.lessonIds().get(2);
    given().auth().oauth2(instructor.token()).delete(last).then().statusCode(204);
    String retry =
        given()
            .auth()
            .oauth2(instructor.token())
            .delete(last)
            .then()
            .statusCode(412)
            .contentType(Problem.MEDIA_TYPE)
            .extract()
            .path("detail");
    assertThat(retry).contains("Lesson " + draft.lessonIds().get(2), "nothing was");
    assertThat(data.count("select count(*) from lessons where course_id = $1", draft.id()))
        .isEqualTo(2);
    // without lessonId an empty position stays what it is: no lesson there
    given()
        .auth()
        .oauth2(instructor.token())
        .delete(lesson(draft, 3))
        .then()
        .statusCode(404)
        .contentType(Problem.MEDIA_TYPE);
  }

  /**
   * Runs {@code ours} while another transaction holds the course row as appending lessons and
   * deleting or reordering them lock it, and runs {@code theirs} (statements over $1 = the course)
   * once ours waits on a lock, then commits: the order in which two changes of a course meet.
   */
  private int whileTheCourseIsLocked(long courseId, List<String> theirs, Callable<Integer> ours)
      throws Exception {
    try (OtherTransaction other = data.otherTransaction()) {
      return other
          .run("select id from courses where id = $1 for no key update", courseId)
          .commitOnceWaiting(ours, () -> theirs.forEach(sql -> other.run(sql, courseId)));
    }
  }

  /**
   * An append and a delete of the same draft at once: whichever comes second sees the other's
   * lessons, so positions stay 1..n and the next append fits after them. The append is played by
   * another connection as CourseService.addLessonsTx writes it: the course locked, then (once the
   * delete waits) the new lessons and the count, committed.
   */
  @Test
  void aLessonDeletedWhileLessonsAreAppendedLeavesNoGap() throws Exception {
    TestData.Account instructor = data.account(Role.MENTOR);
    TestData.CourseFixture draft =
        data.course(instructor.id(), 4, "DRAFT", "testing", "BEGINNER", "Growing draft");
    List<String> appendTwo =
        List.of(
            "insert into lessons (course_id, position, title)"
                + " select $1, p, 'Appended ' || p from generate_series(5, 6) p",
            "update courses set lesson_count = 6 where id = $1");
    int deleted =
        whileTheCourseIsLocked(
            draft.id(),
            appendTwo,
            () -> given().auth().oauth2(instructor.token()).delete(lesson(draft, 2)).statusCode());
    assertThat(deleted).isEqualTo(204);
    assertThat(data.count("select lesson_count from courses where id = $1", draft.id()))
        .isEqualTo(5);
    assertThat(
            data.count(
                "select count(*) from lessons where course_id = $1 and position between 1 and 5",
                draft.id()))
        .as("positions 1..5, no gap")
        .isEqualTo(5)
        .isEqualTo(data.count("select count(*) from lessons where course_id = $1", draft.id()));
    given()
        .auth()
        .oauth2(instructor.token())
        .contentType(ContentType.JSON)
        .body(Map.of("lessons", List.of(Map.of("title", "After the race"))))
        .post("/api/courses/" + draft.slug() + "/lessons")
        .then()
        .statusCode(200)
        .body("lessonCount", equalTo(6))
        .body("lessons[5].title", equalTo("After the race"))
        .body("lessons.position", equalTo(List.of(1, 2, 3, 4, 5, 6)));
  }

  /**
   * An edit meeting a delete of the same draft waits for it rather than deadlocking: both take the
   * course before its lessons. The delete is played by another connection (course locked, then the
   * lesson deleted and the later ones moved up once the edit waits); the edited lesson is gone.
   */
  @Test
  void anEditMeetingADeleteWaitsForIt() throws Exception {
    TestData.Account instructor = data.account(Role.MENTOR);
    TestData.CourseFixture draft =
        data.course(instructor.id(), 3, "DRAFT", "testing", "BEGINNER", "Edited draft");
    List<String> deleteSecond =
        List.of(
            "delete from lessons where course_id = $1 and position = 2",
            "update lessons set position = position - 1 where course_id = $1 and position > 2",
            "update courses set lesson_count = 2 where id = $1");
    int edited =
        whileTheCourseIsLocked(
            draft.id(),
            deleteSecond,
            () ->
                given()
                    .auth()
                    .oauth2(instructor.token())
                    .contentType(ContentType.JSON)
                    .body(Map.of("title", "Renamed"))
                    .patch(lesson(draft, 2))
                    .statusCode());
    assertThat(edited).as("the lesson it meant was deleted").isEqualTo(404);
    assertThat(
            data.count(
                "select count(*) from lessons where course_id = $1 and title = 'Renamed'",
                draft.id()))
        .isZero();
    assertThat(data.count("select lesson_count from courses where id = $1", draft.id()))
        .isEqualTo(2);
  }

  private void reorder(
      TestData.Account who, TestData.CourseFixture course, List<Long> ids, int status) {
    given()
        .auth()
        .oauth2(who.token())
        .contentType(ContentType.JSON)
        .body(Map.of("lessonIds", ids))
        .put("/api/courses/" + course.slug() + "/lessons/order")
        .then()
        .statusCode(status);
  }
}
