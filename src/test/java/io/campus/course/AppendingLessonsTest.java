package io.campus.course;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.campus.platform.common.Problem;
import io.campus.platform.common.Sql;
import io.campus.testsupport.CampusTestResources;
import io.campus.testsupport.OtherTransaction;
import io.campus.testsupport.TestData;
import io.campus.user.Role;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Lessons appended to a course with students: every student's progress is the share of the course's
 * lessons they completed, at once and wherever it shows, and certificate rules judge that share. A
 * completion earned before the append stays earned (status, points, certificate).
 */
@QuarkusTest
@WithTestResource(value = CampusTestResources.class, scope = TestResourceScope.GLOBAL)
class AppendingLessonsTest {

  @Inject TestData data;

  private static List<Map<String, Object>> lessons(String prefix, int count) {
    return IntStream.rangeClosed(1, count)
        .<Map<String, Object>>mapToObj(i -> Map.of("title", prefix + " " + i))
        .toList();
  }

  /** A course the mentor creates and publishes through the API; its lesson ids in order. */
  private static List<Long> publishedCourse(TestData.Account mentor, String slug, int count) {
    given()
        .auth()
        .oauth2(mentor.token())
        .contentType(ContentType.JSON)
        .body(
            Map.of(
                "slug", slug,
                "title", "Growing course",
                "category", "testing",
                "level", "BEGINNER",
                "lessons", lessons("Lesson", count)))
        .post("/api/courses")
        .then()
        .statusCode(201);
    return given()
        .auth()
        .oauth2(mentor.token())
        .post("/api/courses/" + slug + "/publish")
        .then()
        .statusCode(200)
        .extract()
        .jsonPath()
        .getList("lessons.id", Long.class);
  }

  private static JsonPath complete(TestData.Account who, long lessonId) {
    return given()
        .auth()
        .oauth2(who.token())
        .post("/api/lessons/" + lessonId + "/complete")
        .then()
        .statusCode(200)
        .extract()
        .jsonPath();
  }

  /** The caller's enrollment in the course as GET /api/enrollments shows it. */
  private static Map<String, Object> enrollment(TestData.Account who, long courseId) {
    return enrollmentIn(who, "/api/enrollments", "items", courseId);
  }

  /** The caller's enrollment in the course as their (cached) dashboard shows it. */
  private static Map<String, Object> onDashboard(TestData.Account who, long courseId) {
    return enrollmentIn(who, "/api/dashboard", "enrollments", courseId);
  }

  /**
   * The enrollment in the course among those listed at {@code list} of the caller's {@code path}.
   */
  private static Map<String, Object> enrollmentIn(
      TestData.Account who, String path, String list, long courseId) {
    List<Map<String, Object>> items =
        given()
            .auth()
            .oauth2(who.token())
            .get(path)
            .then()
            .statusCode(200)
            .extract()
            .jsonPath()
            .getList(list);
    return items.stream()
        .filter(e -> ((Number) ((Map<?, ?>) e.get("course")).get("id")).longValue() == courseId)
        .findFirst()
        .orElseThrow();
  }

  private static JsonPath eligibility(TestData.Account who, long courseId) {
    return given()
        .auth()
        .oauth2(who.token())
        .queryParam("courseId", courseId)
        .get("/api/certificates/eligibility")
        .then()
        .statusCode(200)
        .extract()
        .jsonPath();
  }

  private static int issue(TestData.Account who, long courseId) {
    return given()
        .auth()
        .oauth2(who.token())
        .contentType(ContentType.JSON)
        .body(Map.of("courseId", courseId))
        .post("/api/certificates")
        .statusCode();
  }

  private static JsonPath analytics(TestData.Account mentor, String slug) {
    return given()
        .auth()
        .oauth2(mentor.token())
        .get("/api/courses/" + slug + "/analytics")
        .then()
        .statusCode(200)
        .extract()
        .jsonPath();
  }

  private long points(long userId) {
    return data.count("select points from user_stats where user_id = $1", userId);
  }

  /**
   * An archived course cannot be published again: lessons appended to it would only shrink its
   * students' progress share of a course they can never finish anew in the catalogue.
   */
  @Test
  void anArchivedCourseTakesNoNewLessons() {
    TestData.Account mentor = data.account(Role.MENTOR);
    TestData.CourseFixture archived =
        data.course(mentor.id(), 2, "ARCHIVED", "testing", "BEGINNER", "Retired course");
    given()
        .auth()
        .oauth2(mentor.token())
        .contentType(ContentType.JSON)
        .body(Map.of("lessons", lessons("Late", 1)))
        .post("/api/courses/" + archived.slug() + "/lessons")
        .then()
        .statusCode(422)
        .contentType(Problem.MEDIA_TYPE);
    assertThat(data.count("select count(*) from lessons where course_id = $1", archived.id()))
        .isEqualTo(2);
    assertThat(data.count("select lesson_count from courses where id = $1", archived.id()))
        .isEqualTo(2);
  }

  @Test
  void appendedLessonsLowerEveryStudentsProgressAndCertificateStanding() {
    TestData.Account mentor = data.account(Role.MENTOR);
    TestData.Account admin = data.account(Role.ADMIN);
    TestData.Account learner = data.account(Role.STUDENT);
    TestData.Account finisher = data.account(Role.STUDENT);
    String slug = TestData.unique("growing").toLowerCase();
    List<Long> lessonIds = new ArrayList<>(publishedCourse(mentor, slug, 5));
    long courseId = given().get("/api/courses/" + slug).then().extract().jsonPath().getLong("id");
    given()
        .auth()
        .oauth2(admin.token())
        .contentType(ContentType.JSON)
        .body(
            Map.of(
                "name",
                "Growing certificate",
                "minProgress",
                80,
                "minAssessments",
                0,
                "minAverageScore",
                0))
        .put("/api/admin/courses/" + courseId + "/certification")
        .then()
        .statusCode(201);
    for (TestData.Account student : List.of(learner, finisher)) {
      given()
          .auth()
          .oauth2(student.token())
          .contentType(ContentType.JSON)
          .body(Map.of("courseId", courseId))
          .post("/api/enrollments")
          .then()
          .statusCode(201);
    }
    for (long lesson : lessonIds.subList(0, 4)) {
      complete(learner, lesson);
    }
    for (long lesson : lessonIds) {
      complete(finisher, lesson);
    }
    assertThat(issue(finisher, courseId)).as("the finisher's certificate").isEqualTo(201);
    // cached views, read before the append
    assertThat(onDashboard(learner, courseId).get("progressPercent")).isEqualTo(80);
    assertThat(eligibility(learner, courseId).getBoolean("eligible")).isTrue();
    assertThat(analytics(mentor, slug).getList("funnel")).hasSize(5);
    Object finishedAt = enrollment(finisher, courseId).get("completedAt");
    long finisherPoints = points(finisher.id());

    lessonIds.addAll(
        given()
            .auth()
            .oauth2(mentor.token())
            .contentType(ContentType.JSON)
            .body(Map.of("lessons", lessons("Extra", 5)))
            .post("/api/courses/" + slug + "/lessons")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath()
            .getList("lessons.id", Long.class)
            .subList(5, 10));

    Map<String, Object> learning = enrollment(learner, courseId);
    assertThat(learning.get("progressPercent")).as("4 of 10 lessons").isEqualTo(40);
    assertThat(learning.get("completedLessons")).isEqualTo(4);
    assertThat(learning.get("status")).isEqualTo("ACTIVE");
    assertThat(onDashboard(learner, courseId).get("progressPercent"))
        .as("the learner's cached dashboard")
        .isEqualTo(40);
    JsonPath standing = eligibility(learner, courseId);
    assertThat(standing.getBoolean("eligible")).as("4 of 10 lessons against 80%").isFalse();
    assertThat(standing.getInt("rules.find { it.rule == 'COMPLETION' }.actual")).isEqualTo(40);
    assertThat(issue(learner, courseId)).isEqualTo(422);
    assertThat(analytics(mentor, slug).getList("funnel"))
        .as("the instructor's cached analytics list the new lessons")
        .hasSize(10);
    assertThat(
            given()
                .auth()
                .oauth2(mentor.token())
                .get("/api/courses/" + slug + "/students")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("items.progressPercent", Integer.class))
        .containsExactlyInAnyOrder(40, 50);

    JsonPath fifth = complete(learner, lessonIds.get(4));
    assertThat(fifth.getInt("progressPercent")).as("5 of 10 lessons").isEqualTo(50);
    assertThat(fifth.getString("enrollmentStatus")).isEqualTo("ACTIVE");
    assertThat(enrollment(learner, courseId).get("progressPercent")).isEqualTo(50);
    assertThat(eligibility(learner, courseId).getBoolean("eligible")).isFalse();

    // the finisher's completion stays earned: status, completion time, points, certificate
    Map<String, Object> finished = enrollment(finisher, courseId);
    assertThat(finished.get("status")).isEqualTo("COMPLETED");
    assertThat(finished.get("progressPercent")).as("5 of 10 lessons").isEqualTo(50);
    assertThat(finished.get("completedAt")).isEqualTo(finishedAt);
    assertThat(points(finisher.id())).isEqualTo(finisherPoints);
    assertThat(onDashboard(finisher, courseId).get("progressPercent")).isEqualTo(50);
    assertThat(issue(finisher, courseId)).as("the certificate already issued").isEqualTo(200);

    // an appended lesson counts once, without completing the course a second time
    JsonPath sixth = complete(finisher, lessonIds.get(5));
    assertThat(sixth.getInt("progressPercent")).isEqualTo(60);
    assertThat(sixth.getBoolean("courseCompleted")).isFalse();
    assertThat(sixth.getString("enrollmentStatus")).isEqualTo("COMPLETED");
    assertThat(points(finisher.id())).isEqualTo(finisherPoints + 10);
    // and undoing it takes back that lesson only: it did not complete the course
    JsonPath undone =
        given()
            .auth()
            .oauth2(finisher.token())
            .delete("/api/lessons/" + lessonIds.get(5) + "/complete")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    assertThat(undone.getInt("progressPercent")).isEqualTo(50);
    assertThat(undone.getString("enrollmentStatus")).isEqualTo("COMPLETED");
    assertThat(points(finisher.id())).isEqualTo(finisherPoints);
    assertThat(
            data.count(
                "select courses_completed from user_stats where user_id = $1", finisher.id()))
        .isEqualTo(1);
  }

  /**
   * Runs {@code ours} while five lessons are being appended to the course in a transaction that has
   * done what an append does (course locked, lessons inserted, count raised, every student's share
   * recomputed) and not committed yet; commits it once {@code ours} waits on a lock.
   */
  private Response whileFiveLessonsAreAppended(long courseId, Callable<Response> ours)
      throws Exception {
    try (OtherTransaction append = data.otherTransaction()) {
      return append
          .run("select id from courses where id = $1 for no key update", courseId)
          .run(
              "insert into lessons (course_id, position, title) select $1, c.lesson_count + g,"
                  + " 'Appended ' || g from courses c, generate_series(1, 5) g where c.id = $1",
              courseId)
          .run("update courses set lesson_count = lesson_count + 5 where id = $1", courseId)
          .run(
              Sql.load("course/lessons-appended")
                  .replace(":lessons", "(select lesson_count from courses where id = $1)")
                  .replace(":course", "$1"),
              courseId)
          .commitOnceWaiting(ours);
    }
  }

  private TestData.Account enrolledIn(long courseId) {
    TestData.Account student = data.account(Role.STUDENT);
    data.enroll(student.id(), courseId);
    return student;
  }

  @Test
  void theLastLessonCompletedWhileLessonsAreAppendedCountsAgainstTheLongerCourse()
      throws Exception {
    TestData.CourseFixture course = data.publishedCourse(data.account(Role.MENTOR).id(), 5);
    TestData.Account student = enrolledIn(course.id());
    for (long lesson : course.lessonIds().subList(0, 4)) {
      complete(student, lesson);
    }

    Response last =
        whileFiveLessonsAreAppended(
            course.id(),
            () ->
                given()
                    .auth()
                    .oauth2(student.token())
                    .post("/api/lessons/" + course.lessonIds().get(4) + "/complete"));

    last.then().statusCode(200);
    assertThat(last.jsonPath().getInt("progressPercent")).isEqualTo(50);
    assertThat(last.jsonPath().getBoolean("courseCompleted")).isFalse();
    assertThat(
            data.count(
                "select count(*) from enrollments where user_id = $1 and course_id = $2"
                    + " and status = 'ACTIVE' and progress_percent = 50 and completed_at is null",
                student.id(),
                course.id()))
        .isEqualTo(1);
  }

  @Test
  void aLessonUndoneWhileLessonsAreAppendedLeavesTheEarlierCompletionStanding() throws Exception {
    TestData.CourseFixture course = data.publishedCourse(data.account(Role.MENTOR).id(), 5);
    TestData.Account student = enrolledIn(course.id());
    for (long lesson : course.lessonIds()) {
      complete(student, lesson);
    }

    Response undo =
        whileFiveLessonsAreAppended(
            course.id(),
            () ->
                given()
                    .auth()
                    .oauth2(student.token())
                    .delete("/api/lessons/" + course.lessonIds().get(4) + "/complete"));

    undo.then().statusCode(200);
    assertThat(
            data.count(
                "select count(*) from enrollments where user_id = $1 and course_id = $2"
                    + " and status = 'COMPLETED' and completed_lessons = 4"
                    + " and progress_percent = 40 and completed_at is not null",
                student.id(),
                course.id()))
        .isEqualTo(1);
  }
}
