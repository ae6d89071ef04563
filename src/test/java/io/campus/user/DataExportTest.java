package io.campus.user;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.campus.testsupport.CampusTestResources;
import io.campus.testsupport.PgWireCounter;
import io.campus.testsupport.Statements;
import io.campus.testsupport.TestData;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.util.List;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(value = CampusTestResources.class, scope = TestResourceScope.GLOBAL)
class DataExportTest {

  private static final List<String> SECTIONS =
      List.of(
          "enrollments",
          "lessonProgress",
          "assessmentsReceived",
          "assessmentsGiven",
          "certificates",
          "achievements",
          "activity",
          "sessions",
          "mentorAssignments");

  @Inject TestData data;
  @Inject DataExportRepository exports;

  private record World(TestData.Account student, TestData.Account mentor) {}

  /** A student with two items in every section, and their mentor. */
  private World world() {
    TestData.Account mentor = data.account(Role.MENTOR);
    TestData.Account student = data.account(Role.STUDENT);
    data.newSession(student, Role.STUDENT);
    long id = student.id();
    data.assign(mentor.id(), id);
    data.assign(data.account(Role.MENTOR).id(), id);
    String achievementSuffix = TestData.unique("X").toUpperCase().replaceAll("[^A-Z0-9]", "_");
    for (int i = 0; i < 2; i++) {
      TestData.CourseFixture course = data.publishedCourse(mentor.id(), 1);
      data.enroll(id, course.id());
      data.execute(
          "insert into lesson_progress (user_id, lesson_id, course_id, status, completed_at)"
              + " values ($1, $2, $3, 'COMPLETED', now())",
          Tuple.of(id, course.lessonIds().get(0), course.id()));
      data.execute(
          "insert into assessments (student_id, mentor_id, course_id, skill, score, assessed_on)"
              + " values ($1, $2, $3, 'exporting', 80, current_date)",
          Tuple.of(id, mentor.id(), course.id()));
      long certification =
          data.single(
                  "insert into certifications (course_id, name) values ($1, 'Export cert')"
                      + " returning id",
                  Tuple.of(course.id()))
              .getLong("id");
      data.execute(
          "insert into user_certifications (user_id, certification_id, verification_code)"
              + " values ($1, $2, campus_verification_code())",
          Tuple.of(id, certification));
      long achievement =
          data.single(
                  "insert into achievements (code, name, rule_type, threshold)"
                      + " values ($1, 'Exported', 'ENROLLMENTS', 1000000) returning id",
                  Tuple.of("EXP_" + i + "_" + achievementSuffix))
              .getLong("id");
      data.execute(
          "insert into user_achievements (user_id, achievement_id) values ($1, $2)",
          Tuple.of(id, achievement));
      data.execute(
          "insert into activity_events (user_id, type, subject_type, subject_id)"
              + " values ($1, 'ENROLLED', 'COURSE', $2)",
          Tuple.of(id, course.id()));
    }
    return new World(student, mentor);
  }

  private static Response export(String token) {
    return given().auth().oauth2(token).get("/api/users/me/export");
  }

  @Test
  void theExportHoldsEverySectionAsADownloadInOneStatement() {
    World world = world();
    TestData.Account student = world.student();
    // the session lookup is cached first, so only the export itself is counted
    given().auth().oauth2(student.token()).get("/api/auth/me").then().statusCode(200);
    Response[] response = new Response[1];
    PgWireCounter.Counts counts = Statements.count(() -> response[0] = export(student.token()));
    Response r = response[0];
    r.then()
        .statusCode(200)
        .contentType("application/json")
        .header("Content-Disposition", "attachment; filename=\"campus-export.json\"")
        .header("Cache-Control", org.hamcrest.Matchers.containsString("no-store"));
    assertThat(counts.statements()).isEqualTo(1);

    JsonPath json = r.jsonPath();
    assertThat(json.getLong("profile.id")).isEqualTo(student.id());
    assertThat(json.getString("profile.email")).isEqualTo(student.email());
    assertThat(json.getString("profile.role")).isEqualTo("STUDENT");
    assertThat(json.getString("profile.createdAt")).isNotNull();
    assertThat(json.getMap("profile")).containsKey("emailConfirmedAt");
    for (String section : SECTIONS) {
      int expected = section.equals("assessmentsGiven") ? 0 : 2;
      assertThat(json.getList(section + ".items")).as(section).hasSize(expected);
      assertThat(json.getBoolean(section + ".truncated")).as(section).isFalse();
    }
    assertThat(json.getString("sessions.items[0].tokenHash")).isNull();

    String body = r.asString();
    String passwordHash =
        data.single("select password_hash from users where id = $1", Tuple.of(student.id()))
            .getString("password_hash");
    assertThat(body).doesNotContain(passwordHash).doesNotContainIgnoringCase("hash");
    String tokenHashHex =
        data.single(
                "select encode(token_hash, 'hex') as h from sessions where user_id = $1 limit 1",
                Tuple.of(student.id()))
            .getString("h");
    assertThat(body.toLowerCase()).doesNotContain(tokenHashHex);

    // a mentor also gets the assessments they gave
    JsonPath mentor = export(world.mentor().token()).then().statusCode(200).extract().jsonPath();
    assertThat(mentor.getList("assessmentsGiven.items")).hasSize(2);
    assertThat(mentor.getList("assessmentsGiven.items.studentId", Long.class))
        .containsOnly(student.id());
  }

  @Test
  void everySectionStopsAtTheLimitAndSaysSo() {
    TestData.Account student = world().student();
    JsonObject cut = new JsonObject(exports.export(student.id(), 1).await().indefinitely());
    for (String section : SECTIONS) {
      JsonObject part = cut.getJsonObject(section);
      if (section.equals("assessmentsGiven")) {
        assertThat(part.getJsonArray("items")).isEmpty();
        assertThat(part.getBoolean("truncated")).isFalse();
      } else {
        assertThat(part.getJsonArray("items")).as(section).hasSize(1);
        assertThat(part.getBoolean("truncated")).as(section).isTrue();
      }
    }
    JsonObject exact = new JsonObject(exports.export(student.id(), 2).await().indefinitely());
    assertThat(exact.getJsonObject("enrollments").getJsonArray("items")).hasSize(2);
    assertThat(exact.getJsonObject("enrollments").getBoolean("truncated")).isFalse();
  }

  @Test
  void anonymousCallersAreUnauthorized() {
    given().get("/api/users/me/export").then().statusCode(401);
  }
}
