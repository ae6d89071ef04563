package io.campus.lesson;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.campus.testsupport.CampusTestResources;
import io.campus.testsupport.PgWireCounter;
import io.campus.testsupport.Statements;
import io.campus.testsupport.TestData;
import io.campus.user.Role;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The learner's and the instructor's writes cost the same statements for a course of 3 lessons as
 * for one of 300 (the session lookup is cached first, so only the call itself is counted).
 */
@QuarkusTest
@WithTestResource(value = CampusTestResources.class, scope = TestResourceScope.GLOBAL)
class JourneyStatementCountTest {

  @Inject TestData data;

  private record World(
      TestData.Account instructor, TestData.Account student, TestData.CourseFixture course) {}

  private World world(int lessons, String status) {
    TestData.Account instructor = data.account(Role.MENTOR);
    TestData.Account student = data.account(Role.STUDENT);
    TestData.CourseFixture course =
        data.course(instructor.id(), lessons, status, "testing", "BEGINNER", "Counted");
    if (!"DRAFT".equals(status)) {
      data.enroll(student.id(), course.id());
    }
    for (TestData.Account a : List.of(instructor, student)) {
      given().auth().oauth2(a.token()).get("/api/auth/me").then().statusCode(200);
    }
    return new World(instructor, student, course);
  }

  /** Counts one call in each world. */
  private static List<PgWireCounter.Counts> both(World small, World large, Consumer<World> call) {
    List<PgWireCounter.Counts> counts = new ArrayList<>();
    for (World w : List.of(small, large)) {
      counts.add(Statements.count(() -> call.accept(w)));
    }
    return counts;
  }

  private static RequestSpecification as(TestData.Account who) {
    return given().auth().oauth2(who.token());
  }

  @Test
  void learnerCallsCostTheSameForThreeOrThreeHundredLessons() {
    World small = world(3, "PUBLISHED");
    World large = world(300, "PUBLISHED");
    for (World w : List.of(small, large)) {
      int last = w.course().lessonIds().size();
      as(w.student())
          .get("/api/courses/" + w.course().slug() + "/lessons/" + last)
          .then()
          .statusCode(200);
      as(w.student())
          .post("/api/lessons/" + w.course().lessonIds().get(0) + "/complete")
          .then()
          .statusCode(200);
    }
    assertEqual(
        both(
            small,
            large,
            w ->
                as(w.student())
                    .get("/api/enrollments/" + w.course().id() + "/resume")
                    .then()
                    .statusCode(200)),
        1);
    assertEqual(
        both(
            small,
            large,
            w ->
                as(w.student())
                    .delete("/api/lessons/" + w.course().lessonIds().get(0) + "/complete")
                    .then()
                    .statusCode(200)),
        1);
    assertEqual(
        both(
            small,
            large,
            w ->
                as(w.student())
                    .delete("/api/enrollments/" + w.course().id())
                    .then()
                    .statusCode(204)),
        1);
  }

  @Test
  void instructorCallsCostTheSameForThreeOrThreeHundredLessons() {
    World small = world(3, "PUBLISHED");
    World large = world(300, "PUBLISHED");
    // edit: the update, then the lesson read back for the response (its cache was invalidated)
    List<PgWireCounter.Counts> edits = new ArrayList<>();
    for (World w : List.of(small, large)) {
      edits.add(
          Statements.count(
              () ->
                  as(w.instructor())
                      .contentType(ContentType.JSON)
                      .body(Map.of("content", "# Changed"))
                      .patch("/api/courses/" + w.course().slug() + "/lessons/2")
                      .then()
                      .statusCode(200)));
    }
    assertThat(edits.get(0).statements()).isEqualTo(2).isEqualTo(edits.get(1).statements());

    World draftSmall = world(3, "DRAFT");
    World draftLarge = world(300, "DRAFT");
    List<PgWireCounter.Counts> reorders = new ArrayList<>();
    List<PgWireCounter.Counts> deletes = new ArrayList<>();
    for (World w : List.of(draftSmall, draftLarge)) {
      List<Long> reversed = new ArrayList<>(w.course().lessonIds());
      Collections.reverse(reversed);
      reorders.add(
          Statements.count(
              () ->
                  as(w.instructor())
                      .contentType(ContentType.JSON)
                      .body(Map.of("lessonIds", reversed))
                      .put("/api/courses/" + w.course().slug() + "/lessons/order")
                      .then()
                      .statusCode(204)));
      deletes.add(
          Statements.count(
              () ->
                  as(w.instructor())
                      .delete("/api/courses/" + w.course().slug() + "/lessons/1")
                      .then()
                      .statusCode(204)));
    }
    // begin, the course locked (lesson/lock-course.sql), the statement, commit: the statement's
    // snapshot then holds every lesson an append or another change committed meanwhile
    assertThat(reorders.get(0).statements()).isEqualTo(4).isEqualTo(reorders.get(1).statements());
    assertThat(deletes.get(0).statements()).isEqualTo(4).isEqualTo(deletes.get(1).statements());
    assertThat(
            data.count(
                "select count(*) from lessons where course_id = $1 and position between 1 and 299",
                draftLarge.course().id()))
        .isEqualTo(299);
  }

  @Test
  void unpublishingAndArchivingCostTheSameForThreeOrThreeHundredLessons() {
    World small = world(3, "PUBLISHED");
    World large = world(300, "PUBLISHED");
    for (String action : List.of("unpublish", "archive")) {
      List<PgWireCounter.Counts> counts =
          both(
              small,
              large,
              w ->
                  as(w.instructor())
                      .post("/api/courses/" + w.course().slug() + "/" + action)
                      .then()
                      .statusCode(200));
      // begin, the locked read, the update, commit; then the course read back
      assertThat(counts.get(0)).isEqualTo(counts.get(1));
      assertThat(counts.get(0).statements()).isEqualTo(5);
    }
  }

  private static void assertEqual(List<PgWireCounter.Counts> counts, int statements) {
    assertThat(counts.get(0).statements())
        .isEqualTo(statements)
        .isEqualTo(counts.get(1).statements());
    assertThat(counts.get(0).roundTrips()).isEqualTo(counts.get(1).roundTrips());
  }
}
