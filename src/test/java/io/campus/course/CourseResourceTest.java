package io.campus.course;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

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
import jakarta.inject.Inject;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(value = CampusTestResources.class, scope = TestResourceScope.GLOBAL)
class CourseResourceTest {

  @Inject TestData data;

  @Test
  void browseWalksEveryPageOnceWithTheCursor() {
    TestData.Account mentor = data.account(Role.MENTOR);
    String category = TestData.unique("walk");
    List<Long> created = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      created.add(data.course(mentor.id(), 2, "PUBLISHED", category, "BEGINNER", "Walk " + i).id());
    }
    data.course(mentor.id(), 2, "DRAFT", category, "BEGINNER", "Hidden draft");

    List<Long> seen = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      var page =
          given()
              .queryParam("category", category)
              .queryParam("limit", 3)
              .queryParam("cursor", cursor == null ? "" : cursor)
              .get("/api/courses")
              .then()
              .statusCode(200)
              .extract()
              .jsonPath();
      seen.addAll(page.getList("items.id", Long.class));
      cursor = page.getString("next");
      pages++;
    } while (cursor != null);

    assertThat(pages).isEqualTo(3);
    assertThat(seen).hasSize(7).doesNotHaveDuplicates();
    // newest first
    java.util.Collections.reverse(created);
    assertThat(seen).isEqualTo(created);
  }

  @Test
  void browseFiltersByLevelAndSortsByTitle() {
    TestData.Account mentor = data.account(Role.MENTOR);
    String category = TestData.unique("sort");
    data.course(mentor.id(), 1, "PUBLISHED", category, "ADVANCED", "Zebra");
    data.course(mentor.id(), 1, "PUBLISHED", category, "ADVANCED", "Aardvark");
    data.course(mentor.id(), 1, "PUBLISHED", category, "BEGINNER", "Moose");
    given()
        .queryParam("category", category)
        .queryParam("level", "advanced")
        .queryParam("sort", "title")
        .get("/api/courses")
        .then()
        .statusCode(200)
        .body("items.title", equalTo(List.of("Aardvark", "Zebra")));
  }

  @Test
  void browsePageIsOneStatementColdAndNoneWarm() {
    TestData.Account mentor = data.account(Role.MENTOR);
    String category = TestData.unique("count");
    for (int i = 0; i < 5; i++) {
      data.course(mentor.id(), 1, "PUBLISHED", category, "BEGINNER", "Counted " + i);
    }
    Runnable firstPage =
        () ->
            given()
                .queryParam("category", category)
                .queryParam("limit", 2)
                .get("/api/courses")
                .then()
                .statusCode(200);
    PgWireCounter.Counts cold = Statements.count(firstPage);
    PgWireCounter.Counts warm = Statements.count(firstPage);
    String next =
        given()
            .queryParam("category", category)
            .queryParam("limit", 2)
            .get("/api/courses")
            .then()
            .extract()
            .path("next");
    PgWireCounter.Counts later =
        Statements.count(
            () ->
                given()
                    .queryParam("category", category)
                    .queryParam("limit", 2)
                    .queryParam("cursor", next)
                    .get("/api/courses")
                    .then()
                    .statusCode(200));
    assertThat(cold.statements()).isEqualTo(1);
    assertThat(later.statements()).isEqualTo(1);
    assertThat(warm.statements()).isZero();
  }

  @Test
  void searchRanksTitleMatchesFirstAndPaginates() {
    TestData.Account mentor = data.account(Role.MENTOR);
    String word = "quokka" + TestData.unique("w").replaceAll("[^a-z]", "");
    long inTitle =
        data.course(mentor.id(), 1, "PUBLISHED", "zoology", "BEGINNER", "All about " + word).id();
    data.execute(
        "update courses set description = $1 where id = $2",
        io.vertx.mutiny.sqlclient.Tuple.of(
            "mentions " + word,
            data.course(mentor.id(), 1, "PUBLISHED", "zoology", "BEGINNER", "Other animals").id()));
    var first =
        given()
            .queryParam("q", word)
            .queryParam("limit", 1)
            .get("/api/courses/search")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    assertThat(first.getList("items.id", Long.class)).containsExactly(inTitle);
    var second =
        given()
            .queryParam("q", word)
            .queryParam("limit", 1)
            .queryParam("cursor", first.getString("next"))
            .get("/api/courses/search")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    assertThat(second.getList("items")).hasSize(1);
    assertThat(second.getString("next")).isNull();
    // the error names the parameter the client sent
    given().get("/api/courses/search").then().statusCode(400).body("errors.field", contains("q"));
    given()
        .queryParam("q", "x".repeat(300))
        .get("/api/courses/search")
        .then()
        .statusCode(400)
        .body("errors.field", contains("q"));
  }

  @Test
  void detailHasLessonsInOneStatementAndHidesDrafts() {
    TestData.Account mentor = data.account(Role.MENTOR);
    TestData.CourseFixture course = data.publishedCourse(mentor.id(), 3);
    PgWireCounter.Counts counts =
        Statements.count(
            () ->
                given()
                    .get("/api/courses/" + course.slug())
                    .then()
                    .statusCode(200)
                    .body("lessons", hasSize(3))
                    .body("lessons[0].position", equalTo(1)));
    assertThat(counts.statements()).isEqualTo(1);
    assertThat(
            Statements.count(
                    () -> given().get("/api/courses/" + course.slug()).then().statusCode(200))
                .statements())
        .isZero();

    TestData.CourseFixture draft = data.course(mentor.id(), 1, "DRAFT", "x", "BEGINNER", "Draft");
    given().get("/api/courses/" + draft.slug()).then().statusCode(404);
    given()
        .auth()
        .oauth2(data.account(Role.STUDENT).token())
        .get("/api/courses/" + draft.slug())
        .then()
        .statusCode(404);
    given()
        .auth()
        .oauth2(mentor.token())
        .get("/api/courses/" + draft.slug())
        .then()
        .statusCode(200);
    given()
        .auth()
        .oauth2(data.account(Role.ADMIN).token())
        .get("/api/courses/" + draft.slug())
        .then()
        .statusCode(200);
    given().get("/api/courses/no-such-course").then().statusCode(404);
  }

  /**
   * A student enrolled in a course that was unpublished or archived keeps reading its lessons, so
   * they get its detail (the table of contents those lessons belong to), uncached; a student who
   * left it, and everyone else, get the 404 of an unknown slug.
   */
  @Test
  void anUnpublishedCourseShowsItsDetailToItsEnrolledStudents() {
    TestData.Account mentor = data.account(Role.MENTOR);
    TestData.Account enrolled = data.account(Role.STUDENT);
    TestData.Account left = data.account(Role.STUDENT);
    TestData.Account outsider = data.account(Role.STUDENT);
    TestData.CourseFixture course = data.publishedCourse(mentor.id(), 2);
    data.enroll(enrolled.id(), course.id());
    data.enroll(left.id(), course.id());
    given()
        .auth()
        .oauth2(left.token())
        .delete("/api/enrollments/" + course.id())
        .then()
        .statusCode(204);

    for (String change : List.of("unpublish", "archive")) {
      given()
          .auth()
          .oauth2(mentor.token())
          .post("/api/courses/" + course.slug() + "/" + change)
          .then()
          .statusCode(200);
      given()
          .auth()
          .oauth2(enrolled.token())
          .get("/api/courses/" + course.slug())
          .then()
          .statusCode(200)
          .header("Cache-Control", containsString("no-store"))
          .header("ETag", nullValue())
          .body("id", equalTo((int) course.id()))
          .body("lessons", hasSize(2));
      for (TestData.Account other : List.of(left, outsider)) {
        given()
            .auth()
            .oauth2(other.token())
            .get("/api/courses/" + course.slug())
            .then()
            .statusCode(404)
            .body("detail", equalTo("No course with this slug."));
      }
      given().get("/api/courses/" + course.slug()).then().statusCode(404);
    }
  }

  @Test
  void roleMatrixForCourseManagement() {
    TestData.Account owner = data.account(Role.MENTOR);
    TestData.Account otherMentor = data.account(Role.MENTOR);
    TestData.Account student = data.account(Role.STUDENT);
    TestData.Account admin = data.account(Role.ADMIN);
    String slug = TestData.unique("managed").toLowerCase();
    Map<String, Object> create =
        Map.of(
            "slug", slug,
            "title", "Managed",
            "category", "testing",
            "level", "BEGINNER",
            "lessons",
                List.of(Map.of("title", "One"), Map.of("title", "Two", "durationMinutes", 5)));

    given().contentType(ContentType.JSON).body(create).post("/api/courses").then().statusCode(401);
    given()
        .auth()
        .oauth2(student.token())
        .contentType(ContentType.JSON)
        .body(create)
        .post("/api/courses")
        .then()
        .statusCode(403);
    given()
        .auth()
        .oauth2(owner.token())
        .contentType(ContentType.JSON)
        .body(create)
        .post("/api/courses")
        .then()
        .statusCode(201)
        .body("status", equalTo("DRAFT"))
        .body("lessonCount", equalTo(2))
        .body("lessons.title", equalTo(List.of("One", "Two")));
    given()
        .auth()
        .oauth2(owner.token())
        .contentType(ContentType.JSON)
        .body(create)
        .post("/api/courses")
        .then()
        .statusCode(409);

    Map<String, Object> update =
        Map.of("title", "Managed v2", "category", "testing", "level", "ADVANCED");
    given()
        .contentType(ContentType.JSON)
        .body(update)
        .put("/api/courses/" + slug)
        .then()
        .statusCode(401);
    given()
        .auth()
        .oauth2(student.token())
        .contentType(ContentType.JSON)
        .body(update)
        .put("/api/courses/" + slug)
        .then()
        .statusCode(403);
    given()
        .auth()
        .oauth2(otherMentor.token())
        .contentType(ContentType.JSON)
        .body(update)
        .put("/api/courses/" + slug)
        .then()
        .statusCode(404);
    given()
        .auth()
        .oauth2(owner.token())
        .contentType(ContentType.JSON)
        .body(update)
        .put("/api/courses/" + slug)
        .then()
        .statusCode(200)
        .body("title", equalTo("Managed v2"));
    given()
        .auth()
        .oauth2(admin.token())
        .contentType(ContentType.JSON)
        .body(update)
        .put("/api/courses/" + slug)
        .then()
        .statusCode(200);

    given().post("/api/courses/" + slug + "/publish").then().statusCode(401);
    given()
        .auth()
        .oauth2(student.token())
        .post("/api/courses/" + slug + "/publish")
        .then()
        .statusCode(403);
    given()
        .auth()
        .oauth2(otherMentor.token())
        .post("/api/courses/" + slug + "/publish")
        .then()
        .statusCode(404);
    given()
        .auth()
        .oauth2(owner.token())
        .post("/api/courses/" + slug + "/publish")
        .then()
        .statusCode(200)
        .body("status", equalTo("PUBLISHED"));
    given().get("/api/courses/" + slug).then().statusCode(200);

    Map<String, Object> more = Map.of("lessons", List.of(Map.of("title", "Three")));
    given()
        .auth()
        .oauth2(otherMentor.token())
        .contentType(ContentType.JSON)
        .body(more)
        .post("/api/courses/" + slug + "/lessons")
        .then()
        .statusCode(403);
    given()
        .auth()
        .oauth2(admin.token())
        .contentType(ContentType.JSON)
        .body(more)
        .post("/api/courses/" + slug + "/lessons")
        .then()
        .statusCode(200)
        .body("lessons[2].position", equalTo(3))
        .body("lessonCount", equalTo(3));
    given()
        .auth()
        .oauth2(owner.token())
        .post("/api/courses/no-such/publish")
        .then()
        .statusCode(404);
  }

  /**
   * Each request adds at most 200 lessons, and a course at most 500 in all: its detail lists every
   * lesson in one cached response, which must stay bounded however often lessons are added.
   */
  @Test
  void aCourseHoldsABoundedNumberOfLessons() {
    TestData.Account mentor = data.account(Role.MENTOR);
    TestData.CourseFixture course =
        data.course(mentor.id(), 0, "DRAFT", "x", "BEGINNER", "Many lessons");
    Map<String, Object> batch =
        Map.of(
            "lessons",
            java.util.stream.IntStream.rangeClosed(1, CourseDtos.MAX_LESSONS_PER_REQUEST)
                .mapToObj(i -> Map.of("title", "Lesson " + i))
                .toList());
    // two full requests fit (400 lessons), a third would make 600
    for (int request = 1; request <= 3; request++) {
      var answer =
          given()
              .auth()
              .oauth2(mentor.token())
              .contentType(ContentType.JSON)
              .body(batch)
              .post("/api/courses/" + course.slug() + "/lessons")
              .then();
      if (request < 3) {
        answer.statusCode(200);
      } else {
        answer
            .statusCode(422)
            .contentType(Problem.MEDIA_TYPE)
            .body("detail", containsString("at most " + CourseDtos.MAX_LESSONS_PER_COURSE));
      }
    }
    assertThat(data.count("select count(*) from lessons where course_id = $1", course.id()))
        .isEqualTo(2L * CourseDtos.MAX_LESSONS_PER_REQUEST);
  }

  @Test
  void invalidCourseIsRejectedWithEveryFieldAndNothingWritten() {
    TestData.Account mentor = data.account(Role.MENTOR);
    long before = data.count("select count(*) from courses");
    given()
        .auth()
        .oauth2(mentor.token())
        .contentType(ContentType.JSON)
        .body(Map.of("slug", "Not A Slug", "title", "", "level", "GURU", "category", "x"))
        .post("/api/courses")
        .then()
        .statusCode(400)
        .contentType("application/problem+json");
    given()
        .auth()
        .oauth2(mentor.token())
        .contentType(ContentType.JSON)
        .body(
            Map.of(
                "slug",
                "Not A Slug",
                "title",
                "",
                "level",
                "BEGINNER",
                "category",
                "x",
                "lessons",
                List.of(Map.of("title", ""))))
        .post("/api/courses")
        .then()
        .statusCode(400)
        .body("errors.field", org.hamcrest.Matchers.hasItems("slug", "title", "lessons[0].title"));
    String draft = TestData.unique("empty").toLowerCase();
    given()
        .auth()
        .oauth2(mentor.token())
        .contentType(ContentType.JSON)
        .body(Map.of("slug", draft, "title", "Empty", "level", "BEGINNER", "category", "x"))
        .post("/api/courses")
        .then()
        .statusCode(201);
    given()
        .auth()
        .oauth2(mentor.token())
        .post("/api/courses/" + draft + "/publish")
        .then()
        .statusCode(422);
    assertThat(data.count("select count(*) from courses")).isEqualTo(before + 1);
  }

  /**
   * Titles and categories are shown to others and put into mails and lists: a control character or
   * a bidirectional override there would forge lines or reorder the text around it. Free text
   * (descriptions, lesson content) keeps tabs and line breaks but not the rest.
   */
  @Test
  void controlAndBidiCharactersAreRefusedInCourseTextWithNothingWritten() {
    TestData.Account mentor = data.account(Role.MENTOR);
    long courses = data.count("select count(*) from courses");
    Map<String, Object> lesson = new java.util.HashMap<>();
    lesson.put("title", "Intro\u2066 isolate");
    lesson.put("content", "text\u0085next");
    Map<String, Object> bad = new java.util.HashMap<>();
    bad.put("slug", TestData.unique("ctl").toLowerCase());
    bad.put("title", "Evil\u202egnp.exe");
    bad.put("category", "cat\u0007");
    bad.put("description", "line\u001b[31m red");
    bad.put("level", "BEGINNER");
    bad.put("lessons", List.of(lesson));
    given()
        .auth()
        .oauth2(mentor.token())
        .contentType(ContentType.JSON)
        .body(bad)
        .post("/api/courses")
        .then()
        .statusCode(400)
        .contentType(Problem.MEDIA_TYPE)
        .body(
            "errors.field",
            org.hamcrest.Matchers.containsInAnyOrder(
                "category", "description", "lessons[0].content", "lessons[0].title", "title"));
    assertThat(data.count("select count(*) from courses")).isEqualTo(courses);

    TestData.CourseFixture course =
        data.course(mentor.id(), 1, "DRAFT", "testing", "BEGINNER", "Plain title");
    given()
        .auth()
        .oauth2(mentor.token())
        .contentType(ContentType.JSON)
        .body(Map.of("title", "Left\u202dright", "category", "tab\tin", "level", "BEGINNER"))
        .put("/api/courses/" + course.slug())
        .then()
        .statusCode(400)
        .contentType(Problem.MEDIA_TYPE)
        .body("errors.field", org.hamcrest.Matchers.containsInAnyOrder("category", "title"))
        .body("errors.message", org.hamcrest.Matchers.everyItem(containsString("control")));
    given()
        .auth()
        .oauth2(mentor.token())
        .contentType(ContentType.JSON)
        .body(Map.of("lessons", List.of(Map.of("title", "Two\nlines"))))
        .post("/api/courses/" + course.slug() + "/lessons")
        .then()
        .statusCode(400)
        .contentType(Problem.MEDIA_TYPE)
        .body("errors.field", contains("lessons[0].title"));
    assertThat(
            data.count(
                "select count(*) from courses where id = $1 and title = 'Plain title'"
                    + " and category = 'testing' and lesson_count = 1",
                course.id()))
        .isOne();
    assertThat(data.count("select count(*) from lessons where course_id = $1", course.id()))
        .isOne();

    // descriptions keep their line breaks and tabs; right-to-left text itself is fine
    given()
        .auth()
        .oauth2(mentor.token())
        .contentType(ContentType.JSON)
        .body(
            Map.of(
                "title",
                "\u05e9\u05dc\u05d5\u05dd course",
                "description",
                "First line\r\n\tindented\nlast",
                "category",
                "testing",
                "level",
                "BEGINNER"))
        .put("/api/courses/" + course.slug())
        .then()
        .statusCode(200)
        .body("description", equalTo("First line\r\n\tindented\nlast"));
  }

  @Test
  void aSlugTheApiUsesForARouteIsRefused() {
    TestData.Account mentor = data.account(Role.MENTOR);
    long before = data.count("select count(*) from courses");
    given()
        .auth()
        .oauth2(mentor.token())
        .contentType(ContentType.JSON)
        .body(Map.of("slug", "search", "title", "Search", "level", "BEGINNER", "category", "x"))
        .post("/api/courses")
        .then()
        .statusCode(400)
        .contentType(Problem.MEDIA_TYPE)
        .body("errors.field", org.hamcrest.Matchers.contains("slug"));
    assertThat(data.count("select count(*) from courses")).isEqualTo(before);
  }

  @Test
  void anArchivedCourseStaysArchived() {
    TestData.Account mentor = data.account(Role.MENTOR);
    TestData.CourseFixture course = data.publishedCourse(mentor.id(), 1);
    given()
        .auth()
        .oauth2(mentor.token())
        .post("/api/courses/" + course.slug() + "/archive")
        .then()
        .statusCode(200);
    given()
        .auth()
        .oauth2(mentor.token())
        .post("/api/courses/" + course.slug() + "/publish")
        .then()
        .statusCode(422)
        .contentType(Problem.MEDIA_TYPE);
    assertThat(
            data.count(
                "select count(*) from courses where id = $1 and status = 'ARCHIVED'", course.id()))
        .isOne();
  }

  @Test
  void anOverlongSlugOnTheDetailIsTheSameProblemAsOnEveryOtherPath() {
    String slug = "a".repeat(CourseResource.DETAIL_SLUG_MAX + 1);
    var byHand =
        given()
            .get("/api/courses/" + slug)
            .then()
            .statusCode(400)
            .contentType("application/problem+json")
            .body("errors.field", equalTo(List.of("slug")))
            .extract()
            .jsonPath();
    // publish keeps @Size: Hibernate Validator answers there, with the very same problem
    var byValidator =
        given()
            .auth()
            .oauth2(data.account(Role.ADMIN).token())
            .post("/api/courses/" + slug + "/publish")
            .then()
            .statusCode(400)
            .extract()
            .jsonPath();
    for (String member : List.of("type", "title", "status", "detail", "errors")) {
      assertThat((Object) byHand.get(member)).as(member).isEqualTo(byValidator.get(member));
    }
    given()
        .get("/api/courses/" + "a".repeat(CourseResource.DETAIL_SLUG_MAX))
        .then()
        .statusCode(404);
  }

  @Test
  void theDetailReadCarriesNoValidationInterceptor() throws NoSuchMethodException {
    // A constraint on the method or a parameter would wrap every cached read in method validation.
    Method detail =
        CourseResource.class.getMethod("detail", jakarta.ws.rs.core.Request.class, String.class);
    List<Annotation> annotations = new ArrayList<>(List.of(detail.getAnnotations()));
    for (Annotation[] parameter : detail.getParameterAnnotations()) {
      annotations.addAll(List.of(parameter));
    }
    assertThat(annotations)
        .extracting(a -> a.annotationType().getPackageName())
        .noneMatch(name -> name.startsWith("jakarta.validation"));
  }
}
