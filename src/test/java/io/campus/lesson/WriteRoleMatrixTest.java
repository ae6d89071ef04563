package io.campus.lesson;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.campus.testsupport.CampusTestResources;
import io.campus.testsupport.TestData;
import io.campus.user.Role;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Who may call the learning-journey writes: anonymous, a student enrolled / not enrolled, the
 * course's instructor, another mentor and an admin. Refusals come first, so they never see a state
 * an allowed call changed.
 */
@QuarkusTest
@WithTestResource(value = CampusTestResources.class, scope = TestResourceScope.GLOBAL)
class WriteRoleMatrixTest {

  @Inject TestData data;

  private TestData.Account instructor;
  private TestData.Account otherMentor;
  private TestData.Account enrolled;
  private TestData.Account stranger;
  private TestData.Account admin;

  private void people() {
    instructor = data.account(Role.MENTOR);
    otherMentor = data.account(Role.MENTOR);
    enrolled = data.account(Role.STUDENT);
    stranger = data.account(Role.STUDENT);
    admin = data.account(Role.ADMIN);
  }

  private static void expect(
      TestData.Account who,
      int status,
      Function<RequestSpecification, io.restassured.response.Response> call) {
    RequestSpecification spec = who == null ? given() : given().auth().oauth2(who.token());
    call.apply(spec.contentType(ContentType.JSON)).then().statusCode(status);
  }

  @Test
  void learnerWrites() {
    people();
    TestData.CourseFixture course = data.publishedCourse(instructor.id(), 2);
    data.enroll(enrolled.id(), course.id());
    String lesson = "/api/lessons/" + course.lessonIds().get(0) + "/complete";
    given().auth().oauth2(enrolled.token()).post(lesson).then().statusCode(200);

    expect(null, 401, r -> r.delete(lesson));
    for (TestData.Account who : List.of(stranger, otherMentor, instructor, admin)) {
      expect(who, 403, r -> r.delete(lesson));
    }
    expect(enrolled, 200, r -> r.delete(lesson));

    String enrollment = "/api/enrollments/" + course.id();
    expect(null, 401, r -> r.delete(enrollment));
    for (TestData.Account who : List.of(stranger, otherMentor, instructor, admin)) {
      expect(who, 404, r -> r.delete(enrollment));
    }
    expect(enrolled, 204, r -> r.delete(enrollment));
  }

  @Test
  void instructorWritesOnAPublishedCourse() {
    people();
    TestData.CourseFixture course = data.publishedCourse(instructor.id(), 2);
    data.enroll(enrolled.id(), course.id());
    String lesson = "/api/courses/" + course.slug() + "/lessons/1";
    Map<String, Object> change = Map.of("title", "Renamed");
    expect(null, 401, r -> r.body(change).patch(lesson));
    for (TestData.Account who : List.of(enrolled, stranger, otherMentor)) {
      expect(who, 403, r -> r.body(change).patch(lesson));
    }
    expect(instructor, 200, r -> r.body(change).patch(lesson));
    expect(admin, 200, r -> r.body(change).patch(lesson));

    String base = "/api/courses/" + course.slug();
    for (String action : List.of("/unpublish", "/archive")) {
      expect(null, 401, r -> r.post(base + action));
      for (TestData.Account who : List.of(enrolled, stranger, otherMentor)) {
        expect(who, 403, r -> r.post(base + action));
      }
    }
    expect(admin, 200, r -> r.post(base + "/unpublish"));
    expect(instructor, 200, r -> r.post(base + "/archive"));
  }

  @Test
  void instructorWritesOnADraft() {
    people();
    TestData.CourseFixture draft =
        data.course(instructor.id(), 4, "DRAFT", "testing", "BEGINNER", "Draft");
    List<Long> ids = draft.lessonIds();
    String order = "/api/courses/" + draft.slug() + "/lessons/order";
    Map<String, Object> reversed =
        Map.of("lessonIds", List.of(ids.get(3), ids.get(2), ids.get(1), ids.get(0)));
    expect(null, 401, r -> r.body(reversed).put(order));
    expect(stranger, 403, r -> r.body(reversed).put(order));
    // a draft exists only for its instructor and admins: another mentor learns nothing of it
    expect(otherMentor, 404, r -> r.body(reversed).put(order));
    expect(instructor, 204, r -> r.body(reversed).put(order));
    expect(admin, 204, r -> r.body(Map.of("lessonIds", ids)).put(order));

    String first = "/api/courses/" + draft.slug() + "/lessons/1";
    expect(null, 401, r -> r.delete(first));
    expect(stranger, 403, r -> r.delete(first));
    expect(otherMentor, 404, r -> r.delete(first));
    expect(otherMentor, 404, r -> r.body(Map.of("title", "Renamed")).patch(first));
    String base = "/api/courses/" + draft.slug();
    expect(
        otherMentor,
        404,
        r ->
            r.body(Map.of("title", "Taken", "category", "testing", "level", "BEGINNER")).put(base));
    expect(otherMentor, 404, r -> r.post(base + "/publish"));
    expect(otherMentor, 404, r -> r.post(base + "/archive"));
    expect(
        otherMentor,
        404,
        r -> r.body(Map.of("lessons", List.of(Map.of("title", "X")))).post(base + "/lessons"));
    String completion = "/api/lessons/" + ids.get(0) + "/complete";
    for (TestData.Account who : List.of(stranger, otherMentor)) {
      expect(who, 404, r -> r.post(completion));
      expect(who, 404, r -> r.delete(completion));
    }
    expect(instructor, 204, r -> r.delete(first));
    expect(admin, 204, r -> r.delete(first));
  }

  /**
   * An archived course is hidden like a draft: another mentor changing it, and anyone not enrolled
   * completing (or undoing) one of its lessons, get exactly the answer of an unknown slug or lesson
   * id, so neither can be probed. Its students keep completing its lessons.
   */
  @Test
  void writesOnAnArchivedCourseAnswerOutsidersAsAnUnknownCourse() {
    people();
    TestData.CourseFixture archived =
        data.course(instructor.id(), 2, "ARCHIVED", "testing", "BEGINNER", "Retired");
    data.enroll(enrolled.id(), archived.id());
    String unknown = TestData.unique("no-such-course").toLowerCase();
    Map<String, Object> course =
        Map.of("title", "Taken", "category", "testing", "level", "BEGINNER");
    Map<String, Object> lessons = Map.of("lessons", List.of(Map.of("title", "X")));
    Map<String, Object> order = Map.of("lessonIds", archived.lessonIds());
    List<Function<String, Function<RequestSpecification, io.restassured.response.Response>>>
        changes =
            List.of(
                base -> r -> r.body(course).put(base),
                base -> r -> r.post(base + "/publish"),
                base -> r -> r.post(base + "/unpublish"),
                base -> r -> r.post(base + "/archive"),
                base -> r -> r.body(lessons).post(base + "/lessons"),
                base -> r -> r.body(Map.of("title", "Renamed")).patch(base + "/lessons/1"),
                base -> r -> r.delete(base + "/lessons/1"),
                base -> r -> r.body(order).put(base + "/lessons/order"));
    for (var change : changes) {
      assertThat(answer(otherMentor, change.apply("/api/courses/" + archived.slug())))
          .isEqualTo(answer(otherMentor, change.apply("/api/courses/" + unknown)))
          .startsWith("404 ");
    }
    long missingLesson = data.count("select coalesce(max(id), 0) + 1000000 from lessons");
    String completion = "/api/lessons/" + archived.lessonIds().get(0) + "/complete";
    String missing = "/api/lessons/" + missingLesson + "/complete";
    for (TestData.Account outsider : List.of(stranger, otherMentor)) {
      assertThat(answer(outsider, r -> r.post(completion)))
          .isEqualTo(answer(outsider, r -> r.post(missing)))
          .startsWith("404 ");
      assertThat(answer(outsider, r -> r.delete(completion)))
          .isEqualTo(answer(outsider, r -> r.delete(missing)))
          .startsWith("404 ");
    }
    expect(enrolled, 200, r -> r.post(completion));
    expect(enrolled, 200, r -> r.delete(completion));
  }

  /** A call's status and body, as one string. */
  private static String answer(
      TestData.Account who, Function<RequestSpecification, io.restassured.response.Response> call) {
    var response = call.apply(given().auth().oauth2(who.token()).contentType(ContentType.JSON));
    return response.statusCode() + " " + response.body().asString();
  }
}
