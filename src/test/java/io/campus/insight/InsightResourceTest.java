package io.campus.insight;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import io.campus.platform.common.Problem;
import io.campus.testsupport.Access;
import io.campus.testsupport.CampusTestResources;
import io.campus.testsupport.PgWireCounter;
import io.campus.testsupport.Statements;
import io.campus.testsupport.TestData;
import io.campus.user.Role;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(value = CampusTestResources.class, scope = TestResourceScope.GLOBAL)
class InsightResourceTest {

  @Inject TestData data;

  /**
   * {@code count} students enrolled in the course, the i-th (from 0) having completed i % (lessons
   * + 1) lessons in order and received one assessment scoring 50 + i % 50; three statements.
   */
  private void students(TestData.CourseFixture course, long mentorId, int count) {
    int lessons = course.lessonIds().size();
    data.execute(
        """
        with u as (
          insert into users (email, display_name, role, password_hash)
          select $2 || g || '@test.campus', 'Student ' || g, 'STUDENT', 'x'
          from generate_series(0, $3 - 1) g
          returning id, (split_part(split_part(email, '@', 1), '-n', 2))::int as g),
        e as (
          insert into enrollments (user_id, course_id, completed_lessons, progress_percent, status,
                                   enrolled_at)
          select u.id, $1, u.g % ($4 + 1), (u.g % ($4 + 1)) * 100 / $4,
                 case when u.g % ($4 + 1) = $4 then 'COMPLETED' else 'ACTIVE' end,
                 now() - make_interval(days => u.g % 20)
          from u),
        a as (
          insert into assessments (student_id, mentor_id, course_id, skill, score, assessed_on)
          select u.id, $5, $1, 'sql', 50 + u.g % 50, current_date from u)
        insert into lesson_progress (user_id, lesson_id, course_id, status, completed_at)
        select u.id, l.id, $1, 'COMPLETED', now()
        from u join lessons l on l.course_id = $1 and l.position <= u.g % ($4 + 1)
        """,
        Tuple.of(course.id(), TestData.unique("bulk") + "-n", count, lessons, mentorId));
  }

  private static JsonPath get(TestData.Account who, String path) {
    return given().auth().oauth2(who.token()).get(path).then().statusCode(200).extract().jsonPath();
  }

  @Test
  void studentsOfACourseArePagedInOneStatementForThreeOrThreeHundred() {
    TestData.Account instructor = data.account(Role.MENTOR);
    TestData.CourseFixture small = data.publishedCourse(instructor.id(), 4);
    TestData.CourseFixture large = data.publishedCourse(instructor.id(), 4);
    students(small, instructor.id(), 3);
    students(large, instructor.id(), 300);
    get(instructor, "/api/auth/me");

    JsonPath[] page = new JsonPath[1];
    PgWireCounter.Counts three =
        Statements.count(
            () -> page[0] = get(instructor, "/api/courses/" + small.slug() + "/students"));
    assertThat(page[0].getList("items")).hasSize(3);
    assertThat(page[0].getString("next")).isNull();
    PgWireCounter.Counts many =
        Statements.count(
            () ->
                page[0] = get(instructor, "/api/courses/" + large.slug() + "/students?limit=100"));
    assertThat(three.statements()).isEqualTo(1).isEqualTo(many.statements());
    assertThat(three.roundTrips()).isEqualTo(many.roundTrips());

    List<Long> seen = new ArrayList<>(page[0].getList("items.enrollmentId", Long.class));
    String next = page[0].getString("next");
    while (next != null) {
      JsonPath p =
          given()
              .auth()
              .oauth2(instructor.token())
              .queryParam("limit", 100)
              .queryParam("cursor", next)
              .get("/api/courses/" + large.slug() + "/students")
              .then()
              .statusCode(200)
              .extract()
              .jsonPath();
      seen.addAll(p.getList("items.enrollmentId", Long.class));
      next = p.getString("next");
    }
    assertThat(seen).hasSize(300).doesNotHaveDuplicates();
    JsonPath first = get(instructor, "/api/courses/" + small.slug() + "/students");
    assertThat(first.getInt("items[0].assessmentCount")).isEqualTo(1);
    assertThat(first.getDouble("items[0].averageScore")).isBetween(50.0, 99.0);
  }

  @Test
  void roleMatrixOfTheInstructorsViews() {
    TestData.Account instructor = data.account(Role.MENTOR);
    TestData.Account otherMentor = data.account(Role.MENTOR);
    TestData.Account enrolled = data.account(Role.STUDENT);
    TestData.Account stranger = data.account(Role.STUDENT);
    TestData.Account admin = data.account(Role.ADMIN);
    TestData.CourseFixture course = data.publishedCourse(instructor.id(), 2);
    data.enroll(enrolled.id(), course.id());

    for (String view : List.of("students", "analytics")) {
      String path = "/api/courses/" + course.slug() + "/" + view;
      given().get(path).then().statusCode(401).contentType(Problem.MEDIA_TYPE);
      Access.assertForbidden(path, List.of(enrolled, stranger, otherMentor));
      get(instructor, path);
      get(admin, path);
      given()
          .auth()
          .oauth2(admin.token())
          .get("/api/courses/no-such-course/" + view)
          .then()
          .statusCode(404);
    }
    String board = "/api/courses/" + course.slug() + "/leaderboard";
    given().get(board).then().statusCode(401);
    Access.assertForbidden(board, List.of(stranger, otherMentor));
    assertThat(get(enrolled, board).getInt("me.rank")).isEqualTo(1);
    assertThat(get(instructor, board).getString("me.rank")).isNull();
    assertThat(get(admin, board).getList("top")).hasSize(1);
    // a draft's leaderboard is hidden from outsiders, as the draft is
    TestData.CourseFixture draft =
        data.course(instructor.id(), 1, "DRAFT", "testing", "BEGINNER", "Draft");
    given()
        .auth()
        .oauth2(stranger.token())
        .get("/api/courses/" + draft.slug() + "/leaderboard")
        .then()
        .statusCode(404);
    for (String view : List.of("students", "analytics")) {
      given()
          .auth()
          .oauth2(otherMentor.token())
          .get("/api/courses/" + draft.slug() + "/" + view)
          .then()
          .statusCode(404)
          .contentType(Problem.MEDIA_TYPE);
    }
    for (String bad : new String[] {"0", "101", "x"}) {
      given()
          .auth()
          .oauth2(enrolled.token())
          .queryParam("limit", bad)
          .get(board)
          .then()
          .statusCode(400)
          .contentType(Problem.MEDIA_TYPE);
    }
  }

  /**
   * An archived course, like a draft, exists only for its instructor and admins (and the
   * leaderboard also for its students): to anyone else each of its views answers exactly what an
   * unknown slug answers, so a stranger cannot learn that the slug was taken.
   */
  @Test
  void anUnpublishedCoursesViewsAnswerOutsidersAsAnUnknownSlugDoes() {
    TestData.Account instructor = data.account(Role.MENTOR);
    TestData.Account otherMentor = data.account(Role.MENTOR);
    TestData.Account stranger = data.account(Role.STUDENT);
    TestData.Account enrolled = data.account(Role.STUDENT);
    TestData.CourseFixture archived =
        data.course(instructor.id(), 2, "ARCHIVED", "testing", "BEGINNER", "Retired course");
    TestData.CourseFixture draft =
        data.course(instructor.id(), 2, "DRAFT", "testing", "BEGINNER", "Hidden course");
    data.enroll(enrolled.id(), archived.id());
    String unknown = TestData.unique("no-such-course").toLowerCase();

    for (String view : List.of("students", "analytics", "leaderboard")) {
      for (TestData.Account outsider : List.of(otherMentor, stranger)) {
        String expected = problem(outsider, "/api/courses/" + unknown + "/" + view, 404);
        for (TestData.CourseFixture hidden : List.of(archived, draft)) {
          assertThat(problem(outsider, "/api/courses/" + hidden.slug() + "/" + view, 404))
              .as("%s of a %s course for %s", view, hidden.slug(), outsider.role())
              .isEqualTo(expected);
        }
      }
      get(instructor, "/api/courses/" + archived.slug() + "/" + view);
    }
    // its students keep their leaderboard
    assertThat(get(enrolled, "/api/courses/" + archived.slug() + "/leaderboard").getInt("me.rank"))
        .isEqualTo(1);
  }

  /** The problem+json body of a GET that must answer {@code status}. */
  private static String problem(TestData.Account who, String path, int status) {
    return given()
        .auth()
        .oauth2(who.token())
        .get(path)
        .then()
        .statusCode(status)
        .contentType(Problem.MEDIA_TYPE)
        .extract()
        .body()
        .asString();
  }

  @Test
  void analyticsCostAtMostTwoStatementsWhateverTheCourseSizeAndAreCached() {
    TestData.Account instructor = data.account(Role.MENTOR);
    TestData.CourseFixture small = data.publishedCourse(instructor.id(), 4);
    TestData.CourseFixture large = data.publishedCourse(instructor.id(), 4);
    students(small, instructor.id(), 3);
    students(large, instructor.id(), 300);
    get(instructor, "/api/auth/me");

    JsonPath[] figures = new JsonPath[2];
    PgWireCounter.Counts coldSmall =
        Statements.count(
            () -> figures[0] = get(instructor, "/api/courses/" + small.slug() + "/analytics"));
    PgWireCounter.Counts coldLarge =
        Statements.count(
            () -> figures[1] = get(instructor, "/api/courses/" + large.slug() + "/analytics"));
    PgWireCounter.Counts warm =
        Statements.count(() -> get(instructor, "/api/courses/" + large.slug() + "/analytics"));
    assertThat(coldSmall.statements()).isEqualTo(2).isEqualTo(coldLarge.statements());
    assertThat(warm.statements()).isZero();

    // 3 students: completed 0, 1 and 2 of 4 lessons
    JsonPath s = figures[0];
    assertThat(s.getLong("enrollments")).isEqualTo(3);
    assertThat(s.getLong("completed")).isZero();
    assertThat(s.getList("funnel.completed", Long.class)).containsExactly(2L, 1L, 0L, 0L);
    assertThat(s.getLong("assessments")).isEqualTo(3);
    assertThat(s.getList("scores.count", Long.class)).containsExactly(3L);
    // 300 students: i % 5 lessons each, so 60 completed all 4
    JsonPath l = figures[1];
    assertThat(l.getLong("enrollments")).isEqualTo(300);
    assertThat(l.getLong("completed")).isEqualTo(60);
    assertThat(l.getDouble("completionRate")).isEqualTo(20.0);
    assertThat(l.getList("funnel.completed", Long.class)).containsExactly(240L, 180L, 120L, 60L);
    assertThat(l.getList("funnel.position", Integer.class)).containsExactly(1, 2, 3, 4);
    assertThat(l.getList("weeks.enrollments", Long.class).stream().mapToLong(Long::longValue).sum())
        .isEqualTo(300);
    assertThat(l.getList("scores.from", Integer.class)).containsExactly(50, 60, 70, 80, 90);
    assertThat(l.getList("scores.count", Long.class)).containsExactly(60L, 60L, 60L, 60L, 60L);
    assertThat(l.getInt("scores[4].to")).isEqualTo(100);
  }

  @Test
  void courseLeaderboardRanksByCompletedLessonsInOneStatement() {
    TestData.Account instructor = data.account(Role.MENTOR);
    TestData.CourseFixture small = data.publishedCourse(instructor.id(), 4);
    TestData.CourseFixture large = data.publishedCourse(instructor.id(), 4);
    students(small, instructor.id(), 3);
    students(large, instructor.id(), 300);
    TestData.Account me = data.account(Role.STUDENT);
    data.enroll(me.id(), small.id());
    data.enroll(me.id(), large.id());
    data.execute(
        "update enrollments set completed_lessons = 1 where user_id = $1", Tuple.of(me.id()));
    get(me, "/api/auth/me");

    JsonPath[] board = new JsonPath[2];
    PgWireCounter.Counts three =
        Statements.count(() -> board[0] = get(me, "/api/courses/" + small.slug() + "/leaderboard"));
    PgWireCounter.Counts many =
        Statements.count(() -> board[1] = get(me, "/api/courses/" + large.slug() + "/leaderboard"));
    assertThat(three.statements()).isEqualTo(1).isEqualTo(many.statements());

    // small: 2, 1 (and me with 1), 0 lessons
    assertThat(board[0].getList("top.completedLessons", Integer.class)).containsExactly(2, 1, 1, 0);
    assertThat(board[0].getList("top.rank", Integer.class)).containsExactly(1, 2, 2, 4);
    assertThat(board[0].getInt("me.rank")).isEqualTo(2);
    // large: 60 students on each of 4, 3, 2 lessons are ahead of me
    assertThat(board[1].getList("top")).hasSize(10);
    assertThat(board[1].getList("top.rank", Integer.class)).containsOnly(1);
    assertThat(board[1].getInt("me.rank")).isEqualTo(181);
    assertThat(board[1].getInt("me.completedLessons")).isEqualTo(1);
    // leaving the course leaves its leaderboard
    given()
        .auth()
        .oauth2(me.token())
        .delete("/api/enrollments/" + small.id())
        .then()
        .statusCode(204);
    given()
        .auth()
        .oauth2(me.token())
        .get("/api/courses/" + small.slug() + "/leaderboard")
        .then()
        .statusCode(403)
        .body("status", equalTo(403));
    assertThat(get(instructor, "/api/courses/" + small.slug() + "/leaderboard").getList("top"))
        .hasSize(3);
    assertThat(
            get(instructor, "/api/courses/" + small.slug() + "/leaderboard").getString("me.rank"))
        .isNull();
    given()
        .auth()
        .oauth2(instructor.token())
        .get("/api/courses/" + small.slug() + "/leaderboard")
        .then()
        .body("me.completedLessons", nullValue());
  }
}
