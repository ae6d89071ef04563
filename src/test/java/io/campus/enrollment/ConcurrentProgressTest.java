package io.campus.enrollment;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.campus.testsupport.CampusTestResources;
import io.campus.testsupport.TestData;
import io.campus.user.Role;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Transaction;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The stats a student sees stay the sum of their rows whatever the order in which their own
 * requests from several devices reach the service: a change of an enrollment decides from the
 * enrollment as it is when the change locks it, not as the statement first saw it.
 */
@QuarkusTest
@WithTestResource(value = CampusTestResources.class, scope = TestResourceScope.GLOBAL)
class ConcurrentProgressTest {

  @Inject TestData data;
  @Inject Pool pgPool;

  private ExecutorService pool;

  @BeforeEach
  void startPool() {
    pool = Executors.newFixedThreadPool(12);
  }

  @AfterEach
  void stopPool() {
    pool.shutdownNow();
  }

  private List<Integer> all(List<Callable<Integer>> calls) throws Exception {
    List<Integer> statuses = new ArrayList<>();
    for (Future<Integer> f : pool.invokeAll(calls)) {
      statuses.add(f.get());
    }
    return statuses;
  }

  private static int complete(TestData.Account who, long lessonId) {
    return given()
        .auth()
        .oauth2(who.token())
        .post("/api/lessons/" + lessonId + "/complete")
        .statusCode();
  }

  private static int undo(TestData.Account who, long lessonId) {
    return given()
        .auth()
        .oauth2(who.token())
        .delete("/api/lessons/" + lessonId + "/complete")
        .statusCode();
  }

  private static int enroll(TestData.Account who, long courseId) {
    return given()
        .auth()
        .oauth2(who.token())
        .contentType(ContentType.JSON)
        .body(Map.of("courseId", courseId))
        .post("/api/enrollments")
        .statusCode();
  }

  private static int leave(TestData.Account who, long courseId) {
    return given().auth().oauth2(who.token()).delete("/api/enrollments/" + courseId).statusCode();
  }

  /** Every counter of user_stats equals what the user's rows say. */
  private void assertStatsMatchRows(long userId, String when) {
    long lessons =
        data.count(
            "select count(*) from lesson_progress where user_id = $1 and status = 'COMPLETED'",
            userId);
    long courses =
        data.count(
            "select count(*) from enrollments where user_id = $1 and status = 'COMPLETED'", userId);
    long enrolled =
        data.count(
            "select count(*) from enrollments where user_id = $1 and status <> 'CANCELLED'",
            userId);
    long awarded =
        data.count(
            "select coalesce(sum(a.points), 0) from user_achievements ua"
                + " join achievements a on a.id = ua.achievement_id where ua.user_id = $1",
            userId);
    assertThat(data.count("select lessons_completed from user_stats where user_id = $1", userId))
        .as("lessons completed " + when)
        .isEqualTo(lessons);
    assertThat(data.count("select courses_completed from user_stats where user_id = $1", userId))
        .as("courses completed " + when)
        .isEqualTo(courses);
    assertThat(data.count("select enrollments from user_stats where user_id = $1", userId))
        .as("enrollments " + when)
        .isEqualTo(enrolled);
    // campus.progress.points-per-lesson and points-per-course, as configured
    assertThat(data.count("select points from user_stats where user_id = $1", userId))
        .as("points " + when)
        .isEqualTo(10 * lessons + 100 * courses + awarded);
  }

  /**
   * Runs {@code ours} while another transaction holds the changes of {@code theirs} (statements
   * over $1 = the user, $2 = the course) uncommitted: ours takes its snapshot, waits on their row
   * lock, and decides once they commit.
   */
  private int whileAnotherRequestCommits(
      long userId, long courseId, List<String> theirs, Callable<Integer> ours) throws Exception {
    return whileAnotherRequestCommits(userId, courseId, theirs, List.of(), ours);
  }

  /**
   * As above, the other transaction running {@code theirsOnceOursWaits} only after ours waits on
   * one of its locks: the order in which two statements taking the same locks meet.
   */
  private int whileAnotherRequestCommits(
      long userId,
      long courseId,
      List<String> theirs,
      List<String> theirsOnceOursWaits,
      Callable<Integer> ours)
      throws Exception {
    SqlConnection other = pgPool.getConnection().await().indefinitely();
    try {
      Transaction tx = other.begin().await().indefinitely();
      for (String sql : theirs) {
        other.preparedQuery(sql).execute(Tuple.of(userId, courseId)).await().indefinitely();
      }
      Future<Integer> status = pool.submit(ours);
      long deadline = System.currentTimeMillis() + 10_000;
      while (data.count(
                  "select count(*) from pg_stat_activity where wait_event_type = 'Lock'"
                      + " and datname = current_database()")
              == 0
          && System.currentTimeMillis() < deadline) {
        Thread.sleep(20);
      }
      for (String sql : theirsOnceOursWaits) {
        other.preparedQuery(sql).execute(Tuple.of(userId, courseId)).await().indefinitely();
      }
      tx.commit().await().indefinitely();
      return status.get();
    } finally {
      other.close().await().indefinitely();
    }
  }

  @Test
  void anUndoAfterAnotherUndoTookTheCourseBackDoesNotTakeItBackAgain() throws Exception {
    TestData.Account mentor = data.account(Role.MENTOR);
    TestData.Account student = data.account(Role.STUDENT);
    TestData.CourseFixture course = data.publishedCourse(mentor.id(), 3);
    assertThat(enroll(student, course.id())).isEqualTo(201);
    for (long lesson : course.lessonIds()) {
      assertThat(complete(student, lesson)).isEqualTo(200);
    }
    long first = course.lessonIds().get(0);
    // what undoing the first lesson writes, committed while ours (the second) waits
    List<String> undoFirst =
        List.of(
            "update lesson_progress set status = 'IN_PROGRESS', completed_at = null"
                + " where user_id = $1 and course_id = $2 and lesson_id = "
                + first,
            "update enrollments set status = 'ACTIVE', completed_at = null,"
                + " completed_lessons = completed_lessons - 1, progress_percent = 66"
                + " where user_id = $1 and course_id = $2",
            "update user_stats set points = points - 110, lessons_completed = lessons_completed - 1,"
                + " courses_completed = courses_completed - 1 where user_id = $1 and $2 > 0");
    int status =
        whileAnotherRequestCommits(
            student.id(), course.id(), undoFirst, () -> undo(student, course.lessonIds().get(1)));
    assertThat(status).isEqualTo(200);
    assertStatsMatchRows(student.id(), "after two undos of a completed course");
  }

  /** A new student enrolled in the course with its first lesson completed. */
  private TestData.Account halfwayThrough(TestData.CourseFixture course) {
    TestData.Account student = data.account(Role.STUDENT);
    assertThat(enroll(student, course.id())).isEqualTo(201);
    assertThat(complete(student, course.lessonIds().get(0))).isEqualTo(200);
    return student;
  }

  @Test
  void aCourseCompletedWhileItsStudentLeavesStaysCompleted() throws Exception {
    TestData.CourseFixture course = data.publishedCourse(data.account(Role.MENTOR).id(), 2);
    TestData.Account student = halfwayThrough(course);
    // what completing the last lesson writes, committed while the leave waits
    List<String> completeLast =
        List.of(
            "insert into lesson_progress (user_id, lesson_id, course_id, status, completed_at)"
                + " values ($1, "
                + course.lessonIds().get(1)
                + ", $2, 'COMPLETED', now())",
            "update enrollments set status = 'COMPLETED', completed_at = now(),"
                + " completed_lessons = 2, progress_percent = 100"
                + " where user_id = $1 and course_id = $2",
            "update user_stats set points = points + 110, lessons_completed = lessons_completed + 1,"
                + " courses_completed = courses_completed + 1 where user_id = $1 and $2 > 0");
    int status =
        whileAnotherRequestCommits(
            student.id(), course.id(), completeLast, () -> leave(student, course.id()));
    assertThat(status).as("a completed course cannot be left").isEqualTo(422);
    assertThat(
            data.count(
                "select count(*) from enrollments where user_id = $1 and status = 'COMPLETED'",
                student.id()))
        .isEqualTo(1);
    assertStatsMatchRows(student.id(), "after leaving a course as it was completed");
  }

  @Test
  void aLessonCompletedAfterItsStudentLeftChangesNothing() throws Exception {
    TestData.CourseFixture course = data.publishedCourse(data.account(Role.MENTOR).id(), 2);
    TestData.Account student = halfwayThrough(course);
    // what leaving writes, committed while the completion waits
    List<String> leaving =
        List.of(
            "update enrollments set status = 'CANCELLED' where user_id = $1 and course_id = $2",
            "update user_stats set enrollments = enrollments - 1 where user_id = $1 and $2 > 0");
    whileAnotherRequestCommits(
        student.id(), course.id(), leaving, () -> complete(student, course.lessonIds().get(1)));
    assertThat(
            data.count(
                "select count(*) from enrollments where user_id = $1 and status = 'CANCELLED'",
                student.id()))
        .as("the enrollment stays left")
        .isEqualTo(1);
    assertStatsMatchRows(student.id(), "after completing a lesson of a course just left");
  }

  @Test
  void aLessonOpenedAsItIsCompletedWaitsForTheCompletion() throws Exception {
    TestData.CourseFixture course = data.publishedCourse(data.account(Role.MENTOR).id(), 2);
    TestData.Account student = halfwayThrough(course);
    long second = course.lessonIds().get(1);
    // a completion of the second lesson, never opened before: the enrollment first, then progress
    List<String> lockEnrollment =
        List.of(
            "select id from enrollments where user_id = $1 and course_id = $2 and $2 > 0"
                + " for update");
    List<String> completeSecond =
        List.of(
            "insert into lesson_progress (user_id, lesson_id, course_id, status, completed_at)"
                + " values ($1, "
                + second
                + ", $2, 'COMPLETED', now()) on conflict (user_id, lesson_id) do update"
                + " set status = 'COMPLETED', completed_at = excluded.completed_at");
    int status =
        whileAnotherRequestCommits(
            student.id(),
            course.id(),
            lockEnrollment,
            completeSecond,
            () ->
                given()
                    .auth()
                    .oauth2(student.token())
                    .get("/api/courses/" + course.slug() + "/lessons/2")
                    .statusCode());
    assertThat(status).as("opening the lesson as it is completed").isEqualTo(200);
    assertThat(
            data.count(
                "select count(*) from lesson_progress where user_id = $1 and lesson_id = $2"
                    + " and status = 'COMPLETED'",
                student.id(),
                second))
        .isEqualTo(1);
  }

  @Test
  void leavingAndEnrollingAtOnceCountEachChangeOnce() throws Exception {
    TestData.Account mentor = data.account(Role.MENTOR);
    TestData.Account student = data.account(Role.STUDENT);
    TestData.CourseFixture course = data.publishedCourse(mentor.id(), 1);
    for (int round = 0; round < 4; round++) {
      List<Callable<Integer>> calls = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        calls.add(() -> enroll(student, course.id()));
        calls.add(() -> leave(student, course.id()));
      }
      assertThat(all(calls)).as("round " + round).doesNotContain(500);
      assertStatsMatchRows(student.id(), "round " + round);
      assertThat(
              data.count(
                  "select count(*) filter (where type = 'ENROLLED')"
                      + " - count(*) filter (where type = 'UNENROLLED') from activity_events"
                      + " where user_id = $1",
                  student.id()))
          .as("enrolment events minus leaving events, round " + round)
          .isEqualTo(
              data.count(
                  "select count(*) from enrollments where user_id = $1 and status <> 'CANCELLED'",
                  student.id()));
    }
  }
}
